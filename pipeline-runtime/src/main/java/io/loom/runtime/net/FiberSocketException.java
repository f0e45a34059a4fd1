package io.loom.runtime.net;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A failed {@link FiberTcpSocket} operation: a {@link Reason} to switch on and the remote address,
 * which the message names too ({@code "connect to 127.0.0.1:1234 refused"}). The original JDK
 * exception, when there is one, is the cause.
 *
 * <p>Thread-safety: immutable.
 */
public final class FiberSocketException extends IOException
{
    /** What went wrong, independent of the JDK's exception types and messages. */
    public enum Reason
    {
        /** Nothing listens at the remote address (the peer answered the connect with a reset). */
        CONNECTION_REFUSED,
        /** The connect did not complete within its timeout (or the kernel's own connect timeout). */
        CONNECT_TIMEOUT,
        /**
         * The address was not resolved: the socket never resolves names (see {@link FiberTcpSocket}),
         * or {@link TransportConnector} could not resolve the host (unknown, or the lookup timed out).
         */
        UNRESOLVED_HOST,
        /** No route to the remote host or network. */
        UNREACHABLE,
        /** The peer reset the connection, or closed it while we were still writing. */
        RESET,
        /** The socket was closed locally (by {@link FiberTcpSocket#close()}, an earlier failure or an interrupt). */
        CLOSED,
        /** Any other I/O failure; the cause says what. */
        IO_ERROR
    }

    /** Why the operation failed. */
    private final Reason reason;
    /** The remote address of the socket. */
    private final InetSocketAddress remoteAddress;

    FiberSocketException(
        final Reason reason, final InetSocketAddress remoteAddress, final String message, final Throwable cause)
    {
        super(message, cause);
        this.reason = reason;
        this.remoteAddress = remoteAddress;
    }

    /**
     * Why the operation failed.
     *
     * @return the reason, never null.
     */
    public Reason reason()
    {
        return reason;
    }

    /**
     * The address the socket connects or was connected to.
     *
     * @return the remote address, as given to {@link FiberTcpSocket#connect}.
     */
    public InetSocketAddress remoteAddress()
    {
        return remoteAddress;
    }

    /** A failure with the standard message for {@code reason}. */
    static FiberSocketException of(final Reason reason, final InetSocketAddress remoteAddress, final Throwable cause)
    {
        final String remote = describe(remoteAddress);
        final String message = switch (reason)
        {
            case CONNECTION_REFUSED -> "connect to " + remote + " refused";
            case CONNECT_TIMEOUT -> "connect to " + remote + " timed out";
            case UNRESOLVED_HOST -> "connect to " + remote +
                ": host is unresolved (resolve it before connecting, off the reactor thread)";
            case UNREACHABLE -> "connect to " + remote + ": host or network unreachable";
            case RESET -> "connection to " + remote + " reset by peer";
            case CLOSED -> "connection to " + remote + " is closed";
            case IO_ERROR -> "I/O error on connection to " + remote + (cause == null ? "" : ": " + cause.getMessage());
        };
        return new FiberSocketException(reason, remoteAddress, message, cause);
    }

    /** The connect did not complete within {@code timeoutNs}. */
    static FiberSocketException connectTimeout(final InetSocketAddress remoteAddress, final long timeoutNs)
    {
        return new FiberSocketException(
            Reason.CONNECT_TIMEOUT,
            remoteAddress,
            "connect to " + describe(remoteAddress) + " timed out after " + TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms",
            null);
    }

    /**
     * {@code host} could not be resolved: unknown, or the lookup did not finish in time. The address
     * is left unresolved (creating it looks nothing up).
     */
    static FiberSocketException unresolvedHost(final String host, final int port, final String detail, final Throwable cause)
    {
        final InetSocketAddress address = InetSocketAddress.createUnresolved(host, port);
        return new FiberSocketException(Reason.UNRESOLVED_HOST, address, "cannot resolve host " + host + ": " + detail, cause);
    }

    /**
     * Maps a JDK exception to a reason. The JDK reports errno values partly by type and partly only
     * by message (the platform's {@code strerror} text), so the message is consulted where the type
     * is not specific.
     */
    static FiberSocketException map(final IOException ex, final InetSocketAddress remoteAddress)
    {
        if (ex instanceof FiberSocketException typed)
        {
            return typed;
        }
        final String message = ex.getMessage() == null ? "" : ex.getMessage().toLowerCase(Locale.ROOT);
        final Reason reason;
        if (ex instanceof ClosedChannelException)
        {
            reason = Reason.CLOSED;
        }
        else if (ex instanceof NoRouteToHostException || message.contains("unreachable"))
        {
            reason = Reason.UNREACHABLE;
        }
        else if (ex instanceof ConnectException)
        {
            reason = message.contains("timed out") ? Reason.CONNECT_TIMEOUT : Reason.CONNECTION_REFUSED;
        }
        else if (message.contains("reset") || message.contains("broken pipe"))
        {
            reason = Reason.RESET;
        }
        else
        {
            reason = Reason.IO_ERROR;
        }
        return of(reason, remoteAddress, ex);
    }

    /** {@code ip:port} for a resolved address (never a reverse lookup), {@code host:port} otherwise. */
    static String describe(final InetSocketAddress address)
    {
        if (address.isUnresolved() || address.getAddress() == null)
        {
            return address.getHostString() + ':' + address.getPort();
        }
        final String ip = address.getAddress().getHostAddress();
        return (ip.indexOf(':') >= 0 ? '[' + ip + ']' : ip) + ':' + address.getPort();
    }
}
