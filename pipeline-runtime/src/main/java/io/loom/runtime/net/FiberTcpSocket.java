package io.loom.runtime.net;

import io.loom.runtime.fiber.ChannelReadyHandler;
import io.loom.runtime.fiber.FiberBaton;
import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.net.FiberSocketException.Reason;
import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A non-blocking TCP connection for fibers: straight-line {@code connect / read / writeFully} code
 * that parks only the calling fiber, never its reactor thread.
 *
 * <pre>
 *   fiber: read() ──▶ channel.read == 0 ──▶ interest OP_READ ──▶ baton.await() (fiber parks)
 *                                                                      ▲
 *   reactor: selectNow ──▶ key ready ──▶ clear OP_READ, baton.post() ──┘ (fiber runnable again)
 * </pre>
 *
 * <p>Each socket owns one {@link FiberBaton} and one ready handler, both made at connect and reused
 * for every wait: with direct buffers, {@link #read}, {@link #writeFully} and the selector's wake-up
 * allocate nothing in steady state. Heap buffers work too, but the JDK copies them through a
 * temporary direct buffer.
 *
 * <p>Names are never resolved here: DNS blocks, and a fiber must not block its reactor. Callers pass
 * a resolved {@link InetSocketAddress}, resolved before the fiber connects and off the reactor
 * thread (a platform thread, a start-up step). An unresolved address fails at once with
 * {@link Reason#UNRESOLVED_HOST}. Note that {@code new InetSocketAddress(hostName, port)} itself
 * resolves, so do not build one from a host name on a fiber.
 *
 * <p>{@link TcpOptions} may turn on delayed ACKs: then a read that returns bytes may also re-arm Linux's
 * delayed-ACK mode ({@code setsockopt}, no allocation), when the last re-arm is old enough.
 *
 * <p>Failures are {@link FiberSocketException}s with a {@link Reason}; an operation that fails with
 * one leaves the socket closed. End of stream is not a failure: {@link #read} returns
 * {@link #END_OF_STREAM}. A fiber interrupted while it waits (its reactor stops) closes the socket
 * and gets the {@link InterruptedException}; so does one that calls {@link #read} or
 * {@link #writeFully} with its interrupt already set, even when the socket could go on at once. A
 * peer that floods the connection never makes a read wait, and a reader that only waited to see the
 * interrupt would outlive its reactor's stop (as a blocking {@code InterruptibleChannel} throws
 * {@code ClosedByInterruptException}, whatever is readable).
 *
 * <p>Thread-safety: one fiber at a time of the reactor it was connected on calls {@link #read},
 * {@link #writeFully} and the accessors; {@link #connect} runs on that reactor's fiber too. A call
 * that must wait from anywhere else fails with {@link IllegalStateException}. {@link #close()} may
 * be called from any thread; it wakes a fiber waiting on the socket, whose call then fails with
 * {@link Reason#CLOSED}.
 */
public final class FiberTcpSocket implements FiberTransport
{
    /** {@link #read} return value: the peer closed its side of the connection. */
    public static final int END_OF_STREAM = -1;


    private static final long NO_TIMEOUT = Long.MAX_VALUE;
    private static final Logger LOG = LoggerFactory.getLogger(FiberTcpSocket.class);

    private final FiberScheduler reactor;
    private final InetSocketAddress remoteAddress;
    private final SocketChannel channel;
    private final FiberBaton ready = new FiberBaton();
    private final ChannelReadyHandler readyHandler = this::onChannelReady;
    private final boolean stampReads;
    private final TcpOptions options;
    private boolean rearmDelayedAcks;
    private long delayedAcksArmedNs;
    private SelectionKey key;
    private long readyNs;
    private volatile boolean closed;

    private FiberTcpSocket(final FiberScheduler reactor, final InetSocketAddress remoteAddress, final SocketChannel channel,
        final TcpOptions options)
    {
        this.reactor = reactor;
        this.remoteAddress = remoteAddress;
        this.channel = channel;
        this.options = options;
        this.stampReads = reactor.socketReads().enabled();
    }

    /**
     * Connects to {@code address} with {@code TCP_NODELAY} on, parking the calling fiber until the
     * connection is established, fails or {@code timeoutNs} of reactor time has passed.
     *
     * <p>Precondition: called from a fiber of {@code reactor}.
     *
     * @param reactor   the reactor whose selector watches the socket and whose fiber calls this.
     * @param address   a resolved address; this method never resolves names.
     * @param timeoutNs how long the connect may take, positive; {@link Long#MAX_VALUE} for no limit.
     * @return the connected socket, owned by the calling fiber.
     * @throws FiberSocketException  {@link Reason#UNRESOLVED_HOST}, {@link Reason#CONNECTION_REFUSED},
     *                               {@link Reason#CONNECT_TIMEOUT}, {@link Reason#UNREACHABLE}, … with
     *                               the address in the message; nothing is left open.
     * @throws InterruptedException  if the fiber is interrupted while it waits; nothing is left open.
     * @throws IllegalStateException if not called from a fiber of {@code reactor}.
     */
    public static FiberTcpSocket connect(
        final FiberScheduler reactor, final InetSocketAddress address, final long timeoutNs)
        throws IOException, InterruptedException
    {
        return connect(reactor, address, timeoutNs, TcpOptions.DEFAULTS);
    }

    /**
     * As {@link #connect(FiberScheduler, InetSocketAddress, long)}, with {@code options} applied once
     * the connection is established (delayed ACKs: see {@link TcpOptions}).
     *
     * @param reactor   the reactor whose selector watches the socket and whose fiber calls this.
     * @param address   a resolved address; this method never resolves names.
     * @param timeoutNs how long the connect may take, positive; {@link Long#MAX_VALUE} for no limit.
     * @param options   the connection's TCP settings.
     * @return the connected socket, owned by the calling fiber.
     * @throws FiberSocketException  as {@link #connect(FiberScheduler, InetSocketAddress, long)}; also if an option cannot be set.
     * @throws InterruptedException  if the fiber is interrupted while it waits; nothing is left open.
     * @throws IllegalStateException if not called from a fiber of {@code reactor}.
     */
    public static FiberTcpSocket connect(
        final FiberScheduler reactor, final InetSocketAddress address, final long timeoutNs, final TcpOptions options)
        throws IOException, InterruptedException
    {
        Objects.requireNonNull(reactor, "reactor");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        if (timeoutNs <= 0)
        {
            throw new IllegalArgumentException("connect timeout must be positive: " + timeoutNs);
        }
        checkOnFiber(reactor, "connect");
        if (address.isUnresolved())
        {
            throw FiberSocketException.of(Reason.UNRESOLVED_HOST, address, null);
        }
        final SocketChannel channel;
        try
        {
            channel = SocketChannel.open();
        }
        catch (final IOException ex)
        {
            throw FiberSocketException.map(ex, address);
        }
        final FiberTcpSocket socket = new FiberTcpSocket(reactor, address, channel, options);
        boolean connected = false;
        try
        {
            socket.finishConnecting(timeoutNs);
            socket.applyOptions();
            connected = true;
            return socket;
        }
        finally
        {
            if (!connected)
            {
                socket.close();
            }
        }
    }

    /**
     * Reads what is available into {@code dst}, parking the fiber until at least one byte arrives.
     *
     * @param dst where to read to, from its position up to its limit; direct for zero allocation.
     * @return the number of bytes read (positive), {@link #END_OF_STREAM} if the peer closed, or 0
     * if {@code dst} has no room.
     * @throws FiberSocketException  {@link Reason#RESET}, {@link Reason#CLOSED}, …; the socket is closed.
     * @throws InterruptedException  if the fiber is interrupted (before the call or while it waits); the socket is closed.
     * @throws IllegalStateException if it must wait and the caller is not a fiber of the socket's reactor.
     */
    @Override
    public int read(final ByteBuffer dst) throws IOException, InterruptedException
    {
        failIfInterrupted();
        reactor.runPendingAgentWork();
        readyNs = 0;
        while (true)
        {
            final int bytesRead = readNow(dst);
            if (bytesRead != 0 || !dst.hasRemaining())
            {
                return bytesRead;
            }
            awaitReady(SelectionKey.OP_READ, NO_TIMEOUT);
        }
    }

    /**
     * As {@link #read(ByteBuffer)}, but waits at most {@code timeoutNs} of reactor time. A timeout
     * is an expected outcome, not a failure: the socket stays open and usable.
     *
     * @param dst       where to read to; direct for zero allocation.
     * @param timeoutNs how long to wait for a first byte; zero or less only tries once.
     * @return bytes read (positive), {@link #END_OF_STREAM}, or 0 if the timeout elapsed first (or
     * {@code dst} has no room).
     * @throws FiberSocketException  {@link Reason#RESET}, {@link Reason#CLOSED}, …; the socket is closed.
     * @throws InterruptedException  if the fiber is interrupted (before the call or while it waits); the socket is closed.
     * @throws IllegalStateException if it must wait and the caller is not a fiber of the socket's reactor.
     */
    @Override
    public int read(final ByteBuffer dst, final long timeoutNs) throws IOException, InterruptedException
    {
        failIfInterrupted();
        reactor.runPendingAgentWork();
        readyNs = 0;
        int bytesRead = readNow(dst);
        if (bytesRead != 0 || !dst.hasRemaining())
        {
            return bytesRead;
        }
        if (timeoutNs <= 0)
        {
            return 0;
        }
        final long deadlineNs = reactor.clock().nanoTime() + timeoutNs;
        long remainingNs = timeoutNs;
        while (awaitReady(SelectionKey.OP_READ, remainingNs))
        {
            bytesRead = readNow(dst);
            if (bytesRead != 0)
            {
                return bytesRead;
            }
            remainingNs = remainingNs == NO_TIMEOUT ? NO_TIMEOUT : deadlineNs - reactor.clock().nanoTime();
            if (remainingNs <= 0)
            {
                break;
            }
        }
        return 0;
    }

    /**
     * Writes all of {@code src}, parking the fiber whenever the kernel's send buffer is full.
     *
     * @param src what to write, from its position to its limit; its position ends at its limit.
     *            Direct for zero allocation.
     * @throws FiberSocketException  {@link Reason#RESET} (peer reset or closed), {@link Reason#CLOSED},
     *                               …; the socket is closed and part of {@code src} may have been sent.
     * @throws InterruptedException  if the fiber is interrupted (before the call or while it waits); the socket is closed.
     * @throws IllegalStateException if it must wait and the caller is not a fiber of the socket's reactor.
     */
    @Override
    public void writeFully(final ByteBuffer src) throws IOException, InterruptedException
    {
        failIfInterrupted();
        while (src.hasRemaining())
        {
            final int written;
            try
            {
                written = channel.write(src);
            }
            catch (final IOException ex)
            {
                throw fail(ex);
            }
            if (written == 0)
            {
                awaitReady(SelectionKey.OP_WRITE, NO_TIMEOUT);
            }
        }
    }

    /**
     * Closes the connection and deregisters it from the reactor's selector. Idempotent, never
     * throws. May be called from any thread: a fiber waiting on this socket wakes and its call
     * fails with {@link Reason#CLOSED}.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            channel.close(); // cancels the key; the selector releases the descriptor on its next pass
        }
        catch (final IOException ignore)
        {
            // closing: nothing more to do with a descriptor the JDK could not close
        }
        ready.post();
    }

    /**
     * Whether the socket is open: connected and neither closed nor failed.
     *
     * @return true while open. Any thread may ask.
     */
    @Override
    public boolean isOpen()
    {
        return !closed;
    }

    /**
     * The address this socket was connected to.
     *
     * @return the remote address, as given to {@link #connect}. Any thread may ask.
     */
    @Override
    public String remote()
    {
        return FiberSocketException.describe(remoteAddress);
    }

    /** @return the TCP settings this socket was connected with. */
    public TcpOptions options()
    {
        return options;
    }

    /**
     * Whether Linux currently delays this connection's ACKs (its {@code TCP_QUICKACK} option reads false):
     * after a {@link TcpOptions delayed-ACK} arm, until the kernel's delayed-ACK timer ends the mode. For
     * checks and diagnostics: a system call. Called by the socket's fiber.
     *
     * @return true in delayed-ACK mode; false in the kernel's default mode or where {@code TCP_QUICKACK} does not exist.
     * @throws FiberSocketException if the socket is closed or the option cannot be read; the socket is closed.
     */
    public boolean inDelayedAckMode() throws FiberSocketException
    {
        if (!channel.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK))
        {
            return false;
        }
        try
        {
            return !channel.getOption(ExtendedSocketOptions.TCP_QUICKACK);
        }
        catch (final IOException ex)
        {
            throw fail(ex);
        }
    }

    /** @return the peer's address. */
    public InetSocketAddress remoteAddress()
    {
        return remoteAddress;
    }

    @Override
    public String toString()
    {
        return "FiberTcpSocket{" + FiberSocketException.describe(remoteAddress) + (closed ? ", closed}" : "}");
    }

    private void finishConnecting(final long timeoutNs) throws IOException, InterruptedException
    {
        try
        {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            key = reactor.register(channel, 0, readyHandler);
            if (channel.connect(remoteAddress))
            {
                return;
            }
            final long deadlineNs = reactor.clock().nanoTime() + timeoutNs;
            long remainingNs = timeoutNs;
            while (true)
            {
                if (!awaitReady(SelectionKey.OP_CONNECT, remainingNs))
                {
                    throw FiberSocketException.connectTimeout(remoteAddress, timeoutNs);
                }
                if (channel.finishConnect())
                {
                    return;
                }
                remainingNs = remainingNs == NO_TIMEOUT ? NO_TIMEOUT : deadlineNs - reactor.clock().nanoTime();
                if (remainingNs <= 0)
                {
                    throw FiberSocketException.connectTimeout(remoteAddress, timeoutNs);
                }
            }
        }
        catch (final IOException ex)
        {
            throw fail(ex);
        }
    }

    /**
     * Delayed ACKs (after the connect: armed before it, Linux would also delay the ACK of the handshake):
     * arms the mode where the platform has it, else logs that it does not.
     */
    private void applyOptions() throws FiberSocketException
    {
        if (!options.delayedAcks())
        {
            return;
        }
        if (!channel.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK))
        {
            LOG.warn("delayed ACKs requested for {} but this platform has no TCP_QUICKACK: the kernel's ACK policy applies",
                FiberSocketException.describe(remoteAddress));
            return;
        }
        try
        {
            channel.setOption(ExtendedSocketOptions.TCP_QUICKACK, false);
        }
        catch (final IOException ex)
        {
            throw fail(ex);
        }
        delayedAcksArmedNs = reactor.clock().nanoTime();
        rearmDelayedAcks = options.delayedAckRearmNs() != TcpOptions.ONCE;
    }

    private int readNow(final ByteBuffer dst) throws FiberSocketException
    {
        try
        {
            final long callNs = stampReads ? reactor.clock().nanoTime() : 0;
            final int bytesRead = channel.read(dst);
            if (bytesRead > 0)
            {
                if (stampReads)
                {
                    reactor.socketReads().onRead(readyNs, callNs);
                }
                if (rearmDelayedAcks)
                {
                    rearmDelayedAcks();
                }
            }
            return bytesRead;
        }
        catch (final IOException ex)
        {
            throw fail(ex);
        }
    }

    /** After a read that returned bytes: sets delayed-ACK mode again if the last re-arm is old enough. */
    private void rearmDelayedAcks() throws IOException
    {
        final long rearmNs = options.delayedAckRearmNs();
        if (rearmNs == 0)
        {
            channel.setOption(ExtendedSocketOptions.TCP_QUICKACK, false);
            return;
        }
        final long nowNs = reactor.clock().nanoTime();
        if (nowNs - delayedAcksArmedNs >= rearmNs)
        {
            channel.setOption(ExtendedSocketOptions.TCP_QUICKACK, false);
            delayedAcksArmedNs = nowNs;
        }
    }

    /**
     * Parks the calling fiber until the selector reports {@code op} ready, {@link #close()} is
     * called or {@code timeoutNs} passes ({@link #NO_TIMEOUT}: no timer at all).
     *
     * @return true if woken, false on timeout (the interest in {@code op} is withdrawn).
     */
    private boolean awaitReady(final int op, final long timeoutNs) throws FiberSocketException, InterruptedException
    {
        checkOnFiber(reactor, "a waiting socket operation");
        ready.reset(); // before the interest is set, so the selector's post cannot be lost
        if (closed)
        {
            throw FiberSocketException.of(Reason.CLOSED, remoteAddress, null);
        }
        try
        {
            key.interestOpsOr(op);
            if (timeoutNs == NO_TIMEOUT)
            {
                ready.await();
                return true;
            }
            if (ready.await(timeoutNs, TimeUnit.NANOSECONDS))
            {
                return true;
            }
            key.interestOpsAnd(~op);
            return false;
        }
        catch (final CancelledKeyException ex)
        {
            throw fail(FiberSocketException.of(Reason.CLOSED, remoteAddress, ex));
        }
        catch (final InterruptedException ex)
        {
            close();
            throw ex;
        }
    }

    /**
     * Runs on the reactor thread when the selector finds the channel ready; allocates nothing. With
     * read stamps on, notes when it found the channel readable: the read the waiting fiber makes next
     * reports it.
     */
    private void onChannelReady(final SelectionKey readyKey)
    {
        try
        {
            final int readyOps = readyKey.readyOps();
            if (stampReads && (readyOps & SelectionKey.OP_READ) != 0)
            {
                readyNs = reactor.clock().nanoTime();
            }
            readyKey.interestOpsAnd(~readyOps);
        }
        catch (final CancelledKeyException ignore)
        {
            // closed meanwhile from another thread; close() posts the baton itself
        }
        ready.post();
    }

    /**
     * Closes the socket and throws if the calling thread's interrupt is set (clearing it, as a
     * wait that sees the interrupt does): one volatile read when it is not.
     */
    private void failIfInterrupted() throws InterruptedException
    {
        if (Thread.interrupted())
        {
            close();
            throw new InterruptedException("interrupted while using the connection to " + remoteAddress + "; the socket is closed");
        }
    }

    /** Closes the socket and returns the typed form of {@code ex} for the caller to throw. */
    private FiberSocketException fail(final IOException ex)
    {
        close();
        return FiberSocketException.map(ex, remoteAddress);
    }

    private static void checkOnFiber(final FiberScheduler reactor, final String operation)
    {
        if (!Thread.currentThread().isVirtual() || !reactor.inReactor())
        {
            throw new IllegalStateException(operation + " must run on a fiber of reactor " + reactor.name() +
                ", not on " + Thread.currentThread());
        }
    }
}
