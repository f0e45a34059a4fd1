package io.loom.runtime.net;

import io.loom.runtime.fiber.FiberBaton;
import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.net.tls.TlsContext;
import io.loom.runtime.net.tls.TlsTransport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens the {@link FiberTransport} a {@code ws://}, {@code wss://}, {@code http://} or
 * {@code https://} URI needs, from a fiber: resolve the host, connect TCP, and for the secure
 * schemes run the TLS handshake. The WebSocket and HTTP clients connect through it.
 *
 * <pre>
 *   fiber: open(uri) ─▶ host literal? ──yes──────────────────────────┐
 *                          │ no                                      ▼
 *                          └▶ resolver thread: InetAddress.getByName  FiberTcpSocket.connect ─▶ wss/https? ─▶ TlsTransport.handshake
 *                             (the fiber parks on a baton, bounded)
 * </pre>
 *
 * <p>DNS blocks, so it never runs on the reactor: lookups go to a small shared pool of daemon
 * platform threads (two at most, ended after 10 s idle) while the fiber parks on a
 * {@link FiberBaton} with the timeout. Address literals are parsed, never looked up. Default ports
 * are 80 and 443.
 *
 * <p>Thread-safety: stateless; call {@link #open} and {@link #resolve} from a fiber of the reactor
 * that will own the transport.
 */
public final class TransportConnector
{
    /** The port of {@code ws://} and {@code http://} URIs without one. */
    public static final int PLAIN_DEFAULT_PORT = 80;
    /** The port of {@code wss://} and {@code https://} URIs without one. */
    public static final int SECURE_DEFAULT_PORT = 443;

    private TransportConnector()
    {
    }

    /**
     * Resolves, connects and (for {@code wss}/{@code https}) secures a transport to {@code uri}.
     *
     * <p>Precondition: called from a fiber of {@code reactor}.
     *
     * @param reactor   the reactor whose fiber calls this and will own the transport.
     * @param uri       {@code ws}, {@code wss}, {@code http} or {@code https}, with a host.
     * @param tls       the TLS configuration for the secure schemes; null for the secure defaults.
     * @param timeoutNs bound on name resolution and TCP connect together, positive; the TLS
     *                  handshake has its own timeout in {@code tls}.
     * @return a connected transport, owned by the calling fiber.
     * @throws FiberSocketException                      {@code UNRESOLVED_HOST} naming the host,
     *                                                   {@code CONNECTION_REFUSED}, {@code CONNECT_TIMEOUT}, …
     * @throws io.loom.runtime.net.tls.TlsHandshakeException if the TLS handshake fails; nothing is left open.
     * @throws InterruptedException                      if the fiber is interrupted; nothing is left open.
     * @throws IllegalArgumentException                  for another scheme or a URI without host.
     */
    public static FiberTransport open(final FiberScheduler reactor, final URI uri, final TlsContext tls, final long timeoutNs)
        throws IOException, InterruptedException
    {
        return open(reactor, uri, tls, TcpOptions.DEFAULTS, timeoutNs);
    }

    /**
     * As {@link #open(FiberScheduler, URI, TlsContext, long)}, with the TCP connection's settings.
     *
     * @param reactor   the reactor whose fiber calls this and will own the transport.
     * @param uri       {@code ws}, {@code wss}, {@code http} or {@code https}, with a host.
     * @param tls       the TLS configuration for the secure schemes; null for the secure defaults.
     * @param tcp       the TCP connection's settings (delayed ACKs: {@link TcpOptions}).
     * @param timeoutNs bound on name resolution and TCP connect together, positive.
     * @return a connected transport, owned by the calling fiber.
     * @throws FiberSocketException                      as {@link #open(FiberScheduler, URI, TlsContext, long)}.
     * @throws io.loom.runtime.net.tls.TlsHandshakeException if the TLS handshake fails; nothing is left open.
     * @throws InterruptedException                      if the fiber is interrupted; nothing is left open.
     * @throws IllegalArgumentException                  for another scheme or a URI without host.
     */
    public static FiberTransport open(final FiberScheduler reactor, final URI uri, final TlsContext tls, final TcpOptions tcp,
        final long timeoutNs)
        throws IOException, InterruptedException
    {
        Objects.requireNonNull(reactor, "reactor");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(tcp, "tcp");
        if (timeoutNs <= 0)
        {
            throw new IllegalArgumentException("connect timeout must be positive: " + timeoutNs);
        }
        final boolean secure = isSecure(uri);
        final String host = uri.getHost();
        if (host == null || host.isEmpty())
        {
            throw new IllegalArgumentException("URI has no host: " + uri);
        }
        final int port = uri.getPort() >= 0 ? uri.getPort() : secure ? SECURE_DEFAULT_PORT : PLAIN_DEFAULT_PORT;
        final long startNs = reactor.clock().nanoTime();
        final InetSocketAddress address = resolve(reactor, host, port, timeoutNs);
        final long remainingNs = timeoutNs - (reactor.clock().nanoTime() - startNs);
        if (remainingNs <= 0)
        {
            throw FiberSocketException.connectTimeout(address, timeoutNs);
        }
        final FiberTcpSocket socket = FiberTcpSocket.connect(reactor, address, remainingNs, tcp);
        if (!secure)
        {
            return socket;
        }
        return TlsTransport.handshake(socket, host, port, tls != null ? tls : DefaultTls.CONTEXT, reactor.clock());
    }

    /**
     * Resolves {@code host} off the reactor thread, parking the calling fiber at most
     * {@code timeoutNs}. An address literal is parsed at once, without a lookup.
     *
     * @param reactor   the reactor whose fiber calls this.
     * @param host      a host name or address literal (IPv6 with or without brackets).
     * @param port      the port of the result.
     * @param timeoutNs how long the lookup may take, positive.
     * @return the resolved address.
     * @throws FiberSocketException  {@code UNRESOLVED_HOST} naming the host: unknown, lookup timed
     *                               out, or the resolver is saturated.
     * @throws InterruptedException  if the fiber is interrupted while it waits.
     * @throws IllegalStateException if not called from a fiber of {@code reactor}.
     */
    public static InetSocketAddress resolve(final FiberScheduler reactor, final String host, final int port, final long timeoutNs)
        throws FiberSocketException, InterruptedException
    {
        final String bareHost = IpAddressLiteral.unbracketed(host);
        if (IpAddressLiteral.isLiteral(bareHost))
        {
            try
            {
                return new InetSocketAddress(IpAddressLiteral.toAddress(bareHost), port);
            }
            catch (final IllegalArgumentException ex)
            {
                throw FiberSocketException.unresolvedHost(host, port, "malformed address literal", ex);
            }
        }
        if (!Thread.currentThread().isVirtual() || !reactor.inReactor())
        {
            throw new IllegalStateException("resolve must run on a fiber of reactor " + reactor.name() + ", not on " +
                Thread.currentThread());
        }
        final Lookup lookup = new Lookup(bareHost);
        try
        {
            Resolver.POOL.execute(lookup);
        }
        catch (final RejectedExecutionException ex)
        {
            throw FiberSocketException.unresolvedHost(host, port, "the resolver is saturated (" + Resolver.QUEUE +
                " lookups queued)", ex);
        }
        if (!lookup.done.await(timeoutNs, TimeUnit.NANOSECONDS))
        {
            throw FiberSocketException.unresolvedHost(host, port,
                "lookup timed out after " + TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms", null);
        }
        if (lookup.failure != null)
        {
            throw FiberSocketException.unresolvedHost(host, port,
                lookup.failure instanceof UnknownHostException ? "unknown host" : String.valueOf(lookup.failure), lookup.failure);
        }
        return new InetSocketAddress(lookup.address, port);
    }

    private static boolean isSecure(final URI uri)
    {
        final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme)
        {
            case "wss", "https" -> true;
            case "ws", "http" -> false;
            default -> throw new IllegalArgumentException("unsupported scheme (ws, wss, http, https): " + uri);
        };
    }

    /** One lookup, run on a resolver thread; the baton publishes its outcome to the fiber. */
    private static final class Lookup implements Runnable
    {
        final String host;
        final FiberBaton done = new FiberBaton();
        InetAddress address;
        Exception failure;

        Lookup(final String host)
        {
            this.host = host;
        }

        @Override
        public void run()
        {
            try
            {
                address = InetAddress.getByName(host);
            }
            catch (final UnknownHostException | RuntimeException ex)
            {
                failure = ex;
            }
            finally
            {
                done.post();
            }
        }
    }

    /** The shared resolver pool, made on first use. */
    private static final class Resolver
    {
        static final int THREADS = 2;
        static final int QUEUE = 256;
        static final AtomicInteger THREAD_NUMBERS = new AtomicInteger();
        static final ThreadPoolExecutor POOL = newPool();

        private static ThreadPoolExecutor newPool()
        {
            final ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 10, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE),
                runnable ->
                {
                    final Thread thread = new Thread(runnable, "loom-resolver-" + THREAD_NUMBERS.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }

    /** The secure defaults, for callers that pass no TLS context; frozen, so safe to share. */
    private static final class DefaultTls
    {
        static final TlsContext CONTEXT = new TlsContext().conclude();
    }
}
