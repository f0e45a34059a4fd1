package io.loom.runtime.net.tls;

import io.loom.api.fiber.NanoClock;
import io.loom.runtime.net.FiberTransport;
import io.loom.runtime.net.IpAddressLiteral;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * TLS 1.3 / 1.2 client over a {@link FiberTransport} (a {@link io.loom.runtime.net.FiberTcpSocket}),
 * driven by an {@link SSLEngine}, the JDK's or BoringSSL's ({@link TlsContext#engineProvider}): the owning fiber reads and writes plaintext as straight-line
 * code and parks only itself, never its reactor.
 *
 * <pre>
 *   writeFully(plain) ─▶ engine.wrap ─▶ netOut ─▶ tcp.writeFully
 *   read(dst) ◀─ appIn ◀─ engine.unwrap ◀─ netIn ◀─ tcp.read     (parks the fiber when netIn holds no whole record)
 *                              │
 *                              ├─ NEED_WRAP (KeyUpdate answer, renegotiation) ─▶ wrap + send, then keep reading
 *                              ├─ NEED_TASK ─▶ shared daemon pool runs the engine's tasks; the fiber parks on a baton
 *                              └─ CLOSED (peer's close_notify) ─▶ read returns -1
 * </pre>
 *
 * <p><b>Never blocking the reactor.</b> The engine's delegated tasks (certificate path validation,
 * key agreement: milliseconds of CPU) and {@code beginHandshake} (which generates the ClientHello's
 * key shares, about a millisecond) run on a small shared pool of daemon platform threads
 * ({@link TlsEngineTasks}), never on the reactor thread; the fiber parks on a baton until they are
 * done, bounded by the handshake timeout, so other fibers keep running meanwhile. What stays on
 * the fiber is record encryption and decryption, and the little handshake work the engine does
 * inside wrap and unwrap.
 *
 * <p><b>Buffers.</b> Three direct buffers sized from the session (packet size in and out,
 * application size in), allocated once ({@link TlsRecordLayer}); the engine's argument arrays are
 * reused. In steady state this class allocates nothing per record. The engine itself does,
 * measured in {@code TlsTransportAllocationTest}: the JDK's about 1.5 KB per small record and 4 KiB
 * per full 16 KiB record it unwraps on JDK 25 (its result object, argument arrays, per-record
 * cipher state); BoringSSL's ({@link TlsEngineProvider#OPENSSL}) only its 40-byte
 * {@code SSLEngineResult} per wrap or unwrap, decrypting straight between the direct buffers, and
 * once the handshake is done application data bypasses even that on the direct record path
 * ({@link TlsDirectRecords}, {@link #directRecords()}): nothing is allocated per record. The
 * BoringSSL engine's native state is freed when the transport closes.
 *
 * <p><b>Closing.</b> {@link #read} returns -1 after the peer's close_notify, and also at a TCP end
 * of stream without one (as most TLS clients do, since many servers skip close_notify; WebSocket
 * close frames and HTTP lengths detect truncation above this layer; {@link #closeNotifyReceived()}
 * tells the two apart). {@link #close()} on the owning fiber sends close_notify first; that write
 * parks only if the kernel's send buffer is full, i.e. the peer stopped reading.
 *
 * <p>Failures are {@link TlsException}s ({@link TlsHandshakeException} during the handshake) naming
 * the peer and any alert, or the TCP transport's own typed exceptions; an operation that fails
 * leaves the transport closed. A timed read that times out is not a failure.
 *
 * <p>Thread-safety: owned by one fiber, which calls {@link #read}, {@link #writeFully} and the
 * accessors. {@link #close()} may be called from any thread: from the owner it sends close_notify,
 * from another thread it only closes the TCP connection (waking the owner, whose call then fails).
 */
public final class TlsTransport implements FiberTransport
{
    /** {@link #read} return value: the peer closed the session (or the TCP stream ended). */
    public static final int END_OF_STREAM = -1;

    private final FiberTransport tcp;
    private final SSLEngine engine;
    private final TlsContext context;
    private final AtomicBoolean engineReleased = new AtomicBoolean();
    private final String peer;
    private final TlsRecordLayer records;
    private final TlsEngineTasks tasks;

    private Thread owner;
    private boolean handshakeDone;
    private volatile boolean closed;

    private TlsTransport(
        final FiberTransport tcp, final SSLEngine engine, final TlsContext context, final NanoClock clock, final String peer,
        final long taskTimeoutNs)
    {
        this.tcp = tcp;
        this.engine = engine;
        this.context = context;
        this.peer = peer;
        this.tasks = new TlsEngineTasks(engine);
        this.records = new TlsRecordLayer(engine, tcp, peer, tasks, clock, taskTimeoutNs);
    }

    /**
     * Runs the TLS handshake as a client over a connected transport and returns the secured
     * transport. The server name (SNI, unless {@code host} is an address literal) and hostname
     * verification use {@code host}.
     *
     * <p>Precondition: called from the fiber that owns {@code tcp}.
     *
     * @param tcp     a connected transport, owned by the calling fiber; owned by the result from now
     *                on, and closed if the handshake fails.
     * @param host    the host as the user named it (URI host, brackets optional for IPv6).
     * @param port    the remote port (the session cache's key, with the host).
     * @param context the TLS configuration, concluded here if it was not yet.
     * @param clock   the reactor's clock, on which the handshake timeout runs.
     * @return the transport, handshake completed.
     * @throws TlsHandshakeException on timeout, an untrusted certificate, a hostname mismatch, an
     *                               alert from the peer, …; the message names the peer and the alert.
     * @throws IOException           if the TCP transport fails (its own typed exception).
     * @throws InterruptedException  if the fiber is interrupted; nothing is left open.
     */
    public static TlsTransport handshake(
        final FiberTransport tcp, final String host, final int port, final TlsContext context, final NanoClock clock)
        throws IOException, InterruptedException
    {
        Objects.requireNonNull(tcp, "tcp");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(clock, "clock");
        final String bareHost = IpAddressLiteral.unbracketed(host);
        final TlsTransport tls;
        try
        {
            context.conclude();
            final String peer = IpAddressLiteral.isLiteral(bareHost) ? tcp.remote() : bareHost + " (" + tcp.remote() + ')';
            tls = new TlsTransport(tcp, context.newClientEngine(bareHost, port), context, clock, peer, context.handshakeTimeoutNs());
        }
        catch (final RuntimeException ex)
        {
            tcp.close();
            throw ex;
        }
        boolean done = false;
        try
        {
            tls.owner = Thread.currentThread();
            TlsHandshake.run(tls.engine, tls.records, tls.tasks, clock, tls.peer, context.handshakeTimeoutNs());
            tls.handshakeDone = true;
            if (context.directRecords())
            {
                tls.records.useDirectRecords(context.engines().directRecords(tls.engine));
            }
            done = true;
            return tls;
        }
        finally
        {
            if (!done)
            {
                tls.abort();
            }
        }
    }

    /**
     * Reads decrypted bytes into {@code dst}, parking the fiber until at least one is there.
     *
     * @param dst where the plaintext goes, from its position up to its limit.
     * @return bytes read (positive), {@link #END_OF_STREAM} after the peer's close_notify or the
     * end of the TCP stream, or 0 if {@code dst} has no room.
     * @throws TlsException         on a bad record or an alert from the peer; the transport is closed.
     * @throws IOException          if the TCP transport fails; the transport is closed.
     * @throws InterruptedException if the fiber is interrupted while it waits; the transport is closed.
     */
    @Override
    public int read(final ByteBuffer dst) throws IOException, InterruptedException
    {
        return read0(dst, TlsRecordLayer.NO_TIMEOUT);
    }

    /**
     * As {@link #read(ByteBuffer)}, but parks at most {@code timeoutNs} of reactor time. A timeout
     * is not a failure: the transport stays usable, and a partly received record stays buffered.
     *
     * @param dst       where the plaintext goes.
     * @param timeoutNs how long to wait for a first byte; zero or less only uses what has arrived.
     * @return bytes read (positive), {@link #END_OF_STREAM}, or 0 if the timeout elapsed first (or
     * {@code dst} has no room).
     * @throws TlsException         on a bad record or an alert from the peer; the transport is closed.
     * @throws IOException          if the TCP transport fails; the transport is closed.
     * @throws InterruptedException if the fiber is interrupted while it waits; the transport is closed.
     */
    @Override
    public int read(final ByteBuffer dst, final long timeoutNs) throws IOException, InterruptedException
    {
        return read0(dst, timeoutNs);
    }

    /**
     * Encrypts all of {@code src} and writes it, one record per at most 16 KiB of plaintext,
     * parking the fiber while the connection cannot take more.
     *
     * @param src the plaintext, from its position to its limit; its position ends at its limit.
     * @throws TlsException         if the session is closed (locally or by the peer) or the engine fails;
     *                              the transport is closed.
     * @throws IOException          if the TCP transport fails; the transport is closed.
     * @throws InterruptedException if the fiber is interrupted while it waits; the transport is closed.
     */
    @Override
    public void writeFully(final ByteBuffer src) throws IOException, InterruptedException
    {
        owner = Thread.currentThread();
        checkOpen();
        try
        {
            while (src.hasRemaining())
            {
                if (records.wrapDirectly(src))
                {
                    continue;
                }
                final SSLEngineResult result = records.wrap(src);
                if (result.getStatus() != SSLEngineResult.Status.OK)
                {
                    throw TlsException.of(peer, "cannot write: the TLS session is closed" +
                        (records.closeNotifyReceived() ? " (the peer sent close_notify)" : ""), null);
                }
                afterWrap(result);
            }
        }
        catch (final SSLException ex)
        {
            throw fail(ex);
        }
        catch (final IOException | InterruptedException | RuntimeException ex)
        {
            abort();
            throw ex;
        }
    }

    /**
     * Sends close_notify (when called on the owning fiber after a completed handshake) and closes
     * the TCP connection. Idempotent, never throws. From any other thread it only closes the TCP
     * connection, which wakes the owning fiber if it waits.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (handshakeDone && Thread.currentThread() == owner)
        {
            engine.closeOutbound();
            records.sendPendingQuietly();
        }
        tcp.close();
        releaseEngine();
    }

    /**
     * Whether the transport is open.
     *
     * @return false once closed by {@link #close()}, failed, or its TCP connection closed. Any thread may ask.
     */
    @Override
    public boolean isOpen()
    {
        return !closed && tcp.isOpen();
    }

    /** @return the peer's {@code ip:port}, as the TCP transport reports it. */
    @Override
    public String remote()
    {
        return tcp.remote();
    }

    /**
     * The negotiated session: protocol ({@code "TLSv1.3"}), cipher suite, peer certificates.
     *
     * @return the engine's current session.
     */
    public SSLSession session()
    {
        return engine.getSession();
    }

    /**
     * Whether the peer ended the session with close_notify, as opposed to just closing TCP.
     *
     * @return true once a read has returned {@link #END_OF_STREAM} because of the peer's close_notify.
     */
    public boolean closeNotifyReceived()
    {
        return records.closeNotifyReceived();
    }

    /**
     * Handshake records sent after the opening handshake: answers to the peer's TLS 1.3 KeyUpdate
     * requests, TLS 1.2 renegotiation messages. A diagnostic counter; owner fiber only.
     *
     * @return how many records were wrapped for post-handshake messages.
     */
    public long postHandshakeWrites()
    {
        return records.postHandshakeWrites();
    }

    /**
     * Records encrypted or decrypted on BoringSSL's direct path ({@link TlsContext#directRecords(boolean)}),
     * without the engine's per-record result object. A diagnostic counter; owner fiber only.
     *
     * @return how many records took the direct path; 0 with the JDK engine or with the path off.
     */
    public long directRecords()
    {
        return records.directRecords();
    }

    @Override
    public String toString()
    {
        return "TlsTransport{" + peer + (closed ? ", closed}" : "}");
    }

    private int read0(final ByteBuffer dst, final long timeoutNs) throws IOException, InterruptedException
    {
        if (!records.hasPlaintext())
        {
            if (!dst.hasRemaining())
            {
                return 0;
            }
            if (records.inboundDone())
            {
                return END_OF_STREAM;
            }
            owner = Thread.currentThread();
            checkOpen();
            try
            {
                final int start = dst.position();
                final int available = records.unwrapUntilPlaintext(timeoutNs, false, dst);
                if (available <= 0)
                {
                    return available;
                }
                if (dst.position() > start)
                {
                    return dst.position() - start; // decrypted straight into dst
                }
            }
            catch (final SSLException ex)
            {
                throw fail(ex);
            }
            catch (final IOException | InterruptedException | RuntimeException ex)
            {
                abort();
                throw ex;
            }
        }
        return records.transferPlaintext(dst);
    }

    private void afterWrap(final SSLEngineResult result) throws IOException, InterruptedException
    {
        final HandshakeStatus status = result.getHandshakeStatus();
        if (status == HandshakeStatus.NEED_UNWRAP && result.bytesConsumed() == 0 && result.bytesProduced() == 0)
        {
            // the engine holds application data back until the peer's handshake messages arrive
            if (records.unwrapUntilPlaintext(TlsRecordLayer.NO_TIMEOUT, true, null) < 0)
            {
                throw TlsException.of(peer, "the peer closed the connection during a renegotiation", null);
            }
        }
        else
        {
            records.answerHandshake(status);
        }
    }

    /** An engine failure after the handshake: alert the peer if possible, close, return the typed error. */
    private TlsException fail(final SSLException ex)
    {
        records.sendPendingQuietly();
        abort();
        return TlsException.of(peer, "the TLS session failed: " + ex.getMessage(), ex);
    }

    /** Closes without close_notify: after a failure. */
    private void abort()
    {
        closed = true;
        engine.closeOutbound();
        tcp.close();
        releaseEngine();
    }

    /** Frees the engine's native state (BoringSSL's), once, whichever thread closes first. */
    private void releaseEngine()
    {
        if (engineReleased.compareAndSet(false, true))
        {
            context.releaseEngine(engine);
        }
    }

    private void checkOpen() throws TlsException
    {
        if (closed)
        {
            throw TlsException.of(peer, "the connection is closed", null);
        }
    }
}
