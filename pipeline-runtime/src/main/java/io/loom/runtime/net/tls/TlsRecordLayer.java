package io.loom.runtime.net.tls;

import io.loom.api.fiber.NanoClock;
import io.loom.runtime.net.FiberTransport;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An {@link SSLEngine} and its three direct buffers over a fiber transport: wrap and send, read
 * and unwrap until plaintext arrives, answering post-handshake messages (KeyUpdate, tickets) on the
 * way. {@link TlsTransport} owns the public contract and failure handling, {@link TlsHandshake} the
 * opening handshake; this class moves the bytes, reusing its buffers and the engine's argument
 * arrays, so it allocates nothing per record. {@link #unwrapUntilPlaintext} hands the engine whole
 * records only (it reads the 5-byte record header), so a record split across reads costs no
 * BUFFER_UNDERFLOW round: BoringSSL's engine allocates a result object per unwrap call, even that one.
 *
 * <p>After the handshake, records take the {@link TlsDirectRecords} path when the engine has one
 * (BoringSSL's), which allocates nothing at all; whatever that path does not take, or hands back
 * for the engine to replay (close_notify, a bad record, an alert), goes through the engine as
 * before. Records it decrypts are skipped in the receive buffer ({@code netInStart}) rather than
 * compacted away one by one: the buffer is compacted once before each read instead.
 *
 * <pre>
 *   wrap:   sources ─▶ [direct.encrypt | engine.wrap] ─▶ netOut (cleared first) ─▶ tcp.writeFully
 *   unwrap: tcp.read ─▶ netIn (write mode) ─▶ [direct.decrypt | engine.unwrap] ─▶ appIn (read mode) ─▶ transferPlaintext(dst)
 *                                            └─ direct.decrypt ─▶ dst, when it is direct with room for a record
 * </pre>
 *
 * <p>Buffer overflows are handled here, by growing the buffer once to the session's size; an
 * underflow makes room for the rest of the record and is returned for the caller to read more.
 *
 * <p>Thread-safety: used by the fiber that owns its transport only.
 */
final class TlsRecordLayer
{
    /**
     * Records of ciphertext the receive buffer holds (about 130 KiB): one socket read takes up to
     * eight records, so a fast stream costs one read system call (and one TCP window update) per
     * several records rather than per one or two. Measured at wss 4 KiB: 0.034 reads per message
     * against 0.129 with room for two records, and about a third less CPU per message.
     */
    private static final int NET_IN_RECORDS = 8;

    /** A TLS record header: content type (1), legacy version (2), length (2). */
    private static final int RECORD_HEADER_BYTES = 5;
    private static final int RECORD_LENGTH_OFFSET = 3;

    /** A read without timeout. */
    static final long NO_TIMEOUT = Long.MAX_VALUE;

    private final SSLEngine engine;
    private final FiberTransport tcp;
    private final String peer;
    private final TlsEngineTasks tasks;
    private final NanoClock clock;
    private final long taskTimeoutNs;
    private final ByteBuffer[] wrapSources = new ByteBuffer[1];
    private final ByteBuffer[] unwrapTargets = new ByteBuffer[1];
    private final ByteBuffer[] noApplicationData = {ByteBuffer.allocate(0)};

    /** Ciphertext read and not yet unwrapped; write mode: [netInStart, position). */
    private ByteBuffer netIn;
    /** Where the ciphertext not yet unwrapped starts: records decrypted directly are skipped, not compacted away. */
    private int netInStart;
    /** Ciphertext to send; cleared before each wrap, sent right after it. */
    private ByteBuffer netOut;
    /** Plaintext unwrapped and not yet handed out; read mode: [position, limit). */
    private ByteBuffer appIn;

    /** The direct record path after the handshake, or null: every record goes through the engine. */
    private TlsDirectRecords direct;

    private boolean inboundDone;
    private boolean closeNotifyReceived;
    private long postHandshakeWrites;
    private long directRecords;
    /** Plaintext bytes the last {@link #decryptDirectly} produced. */
    private int lastPlaintextBytes;

    TlsRecordLayer(
        final SSLEngine engine,
        final FiberTransport tcp,
        final String peer,
        final TlsEngineTasks tasks,
        final NanoClock clock,
        final long taskTimeoutNs)
    {
        this.engine = engine;
        this.tcp = tcp;
        this.peer = peer;
        this.tasks = tasks;
        this.clock = clock;
        this.taskTimeoutNs = taskTimeoutNs;
        final SSLSession session = engine.getSession();
        this.netIn = ByteBuffer.allocateDirect(NET_IN_RECORDS * session.getPacketBufferSize());
        this.netOut = ByteBuffer.allocateDirect(session.getPacketBufferSize());
        this.appIn = ByteBuffer.allocateDirect(session.getApplicationBufferSize()).flip();
    }

    /**
     * From now on (the handshake is finished) application data takes {@code directRecords}' path
     * when it can; null keeps every record on the engine.
     */
    void useDirectRecords(final TlsDirectRecords directRecords)
    {
        this.direct = directRecords;
    }

    /**
     * Encrypts one record of {@code src} on the direct path and sends it, if the path takes it.
     *
     * @return true if a record was sent; false if the engine must {@link #wrap} {@code src}
     * (anything the direct path produced before stepping aside has been sent).
     */
    boolean wrapDirectly(final ByteBuffer src) throws IOException, InterruptedException
    {
        if (direct == null)
        {
            return false;
        }
        netOut.clear();
        final int encrypted = direct.encrypt(src, netOut);
        netOut.flip();
        if (netOut.hasRemaining())
        {
            tcp.writeFully(netOut);
        }
        if (encrypted > 0)
        {
            directRecords++;
            return true;
        }
        return false;
    }

    /** Wraps application data from {@code src} (one record at most) and sends it. */
    SSLEngineResult wrap(final ByteBuffer src) throws IOException, InterruptedException
    {
        wrapSources[0] = src;
        try
        {
            return wrapAndSend(wrapSources);
        }
        finally
        {
            wrapSources[0] = null;
        }
    }

    /** Wraps what the engine has to send of its own (handshake messages, an alert, close_notify) and sends it. */
    SSLEngineResult wrapHandshake() throws IOException, InterruptedException
    {
        return wrapAndSend(noApplicationData);
    }

    /**
     * Unwraps the next record of the receive buffer into the plaintext buffer, keeping plaintext
     * not yet handed out.
     *
     * @return the engine's result: OK, CLOSED, or BUFFER_UNDERFLOW when no whole record is
     * buffered (room for it has been made: read more).
     */
    SSLEngineResult unwrap() throws IOException
    {
        while (true)
        {
            final SSLEngineResult result = unwrapOnce();
            if (result.getStatus() == Status.BUFFER_OVERFLOW)
            {
                appIn = TlsBuffers.grownReadMode(appIn, appIn.remaining() + engine.getSession().getApplicationBufferSize(), "application buffer");
                continue;
            }
            if (result.getStatus() == Status.BUFFER_UNDERFLOW && !netIn.hasRemaining())
            {
                growNetIn();
            }
            return result;
        }
    }

    /**
     * Unwraps records (keeping plaintext not yet handed out) until plaintext is there, reading
     * ciphertext as needed; answers post-handshake messages on the way.
     *
     * @param timeoutNs {@link #NO_TIMEOUT}, or how long to wait for ciphertext in total.
     * @param anyRecord return after any record is consumed, plaintext or not (the write side's
     *                  wait for the peer's handshake messages).
     * @param dst       null, or the reader's buffer: the direct path decrypts straight into it (one
     *                  copy less) when it is direct, has room for a whole record and no plaintext is pending.
     * @return positive once plaintext (or, with {@code anyRecord}, any record) was unwrapped, into
     * the plaintext buffer or {@code dst}, 0 on timeout, or {@link TlsTransport#END_OF_STREAM}.
     */
    int unwrapUntilPlaintext(final long timeoutNs, final boolean anyRecord, final ByteBuffer dst)
        throws IOException, InterruptedException
    {
        long deadlineNs = 0;
        boolean firstRead = true;
        boolean needInput = !hasCiphertext();
        while (true)
        {
            if (!needInput && !hasWholeRecord() && (netIn.hasRemaining() || netInStart > 0))
            {
                needInput = true; // read the rest first: BoringSSL's engine allocates a result even for BUFFER_UNDERFLOW
            }
            if (!needInput)
            {
                int replayedBytes = 0;
                if (direct != null && hasWholeRecord()) // else a full buffer without a whole record: the engine rejects it
                {
                    final boolean intoDst = dst != null && dst.isDirect() && !dst.isReadOnly() &&
                        dst.remaining() >= TlsDirectRecords.MAX_PLAINTEXT_BYTES && !appIn.hasRemaining();
                    final int outcome = decryptDirectly(intoDst ? dst : null);
                    if (outcome == TlsDirectRecords.DECRYPTED)
                    {
                        if (lastPlaintextBytes > 0 || anyRecord)
                        {
                            return 1;
                        }
                        needInput = !hasCiphertext();
                        continue;
                    }
                    if (outcome == TlsDirectRecords.REPLAY_ON_ENGINE)
                    {
                        replayedBytes = direct.consumedBytes();
                    }
                }
                final SSLEngineResult result = unwrap();
                if (replayedBytes > result.bytesConsumed())
                {
                    dropCiphertext(replayedBytes - result.bytesConsumed()); // the engine replayed what BoringSSL had read already
                }
                switch (result.getStatus())
                {
                    case OK ->
                    {
                        final HandshakeStatus status = result.getHandshakeStatus();
                        answerHandshake(status);
                        if (result.bytesProduced() > 0 || (anyRecord && result.bytesConsumed() > 0))
                        {
                            return 1;
                        }
                        needInput = !hasCiphertext() || result.bytesConsumed() == 0 &&
                            status != HandshakeStatus.NEED_WRAP && status != HandshakeStatus.NEED_TASK;
                    }
                    case CLOSED ->
                    {
                        inboundDone = true;
                        closeNotifyReceived = true;
                        return TlsTransport.END_OF_STREAM;
                    }
                    default -> needInput = true; // BUFFER_UNDERFLOW: no whole record yet
                }
                continue;
            }
            final int bytesRead;
            if (timeoutNs == NO_TIMEOUT)
            {
                bytesRead = read();
            }
            else
            {
                final long nowNs = clock.nanoTime();
                if (firstRead)
                {
                    deadlineNs = nowNs + timeoutNs < nowNs ? Long.MAX_VALUE : nowNs + timeoutNs;
                    firstRead = false;
                }
                bytesRead = read(Math.max(0, deadlineNs - nowNs)); // 0: one more try, no wait
            }
            if (bytesRead < 0)
            {
                inboundDone = true;
                closeInboundQuietly();
                return TlsTransport.END_OF_STREAM;
            }
            if (bytesRead == 0)
            {
                return 0;
            }
            needInput = false;
        }
    }

    /** After an unwrap or wrap: sends what the engine must send (KeyUpdate answer, …) and runs its tasks. */
    void answerHandshake(final HandshakeStatus initial) throws IOException, InterruptedException
    {
        HandshakeStatus status = initial;
        while (true)
        {
            switch (status)
            {
                case NEED_WRAP ->
                {
                    final SSLEngineResult result = wrapHandshake();
                    postHandshakeWrites++;
                    if (result.getStatus() != SSLEngineResult.Status.OK)
                    {
                        return; // closed meanwhile: the caller's next unwrap or wrap reports it
                    }
                    status = result.getHandshakeStatus();
                    if (status == HandshakeStatus.NOT_HANDSHAKING && result.bytesProduced() > 0)
                    {
                        // drain: BoringSSL sends a fatal alert this way and throws its failure only
                        // from the next wrap; any engine answers an empty wrap with nothing otherwise
                        wrapHandshake();
                    }
                }
                case NEED_TASK ->
                {
                    if (!tasks.run(taskTimeoutNs))
                    {
                        throw TlsHandshakeException.timeout(peer, taskTimeoutNs, "waiting for the TLS engine's delegated tasks");
                    }
                    status = engine.getHandshakeStatus();
                }
                default ->
                {
                    return; // NOT_HANDSHAKING, FINISHED, or NEED_UNWRAP: the reader carries on
                }
            }
        }
    }

    /**
     * Decrypts the whole record at the start of the receive buffer on the direct path, into
     * {@code dst} (write mode), or after the plaintext not yet handed out if {@code dst} is null.
     * Precondition: {@link #hasWholeRecord()}. Sets {@link #lastPlaintextBytes}.
     *
     * @return the direct path's outcome; after {@link TlsDirectRecords#DECRYPTED} the record is consumed.
     */
    private int decryptDirectly(final ByteBuffer dst)
    {
        final int recordBytes = RECORD_HEADER_BYTES + (netIn.getShort(netInStart + RECORD_LENGTH_OFFSET) & 0xFFFF);
        final ByteBuffer target = dst == null ? appIn.compact() : dst;
        final int before = target.position();
        final int outcome;
        try
        {
            outcome = direct.decrypt(netIn, netInStart, recordBytes, target);
        }
        finally
        {
            lastPlaintextBytes = target.position() - before;
            if (dst == null)
            {
                appIn.flip();
            }
        }
        if (outcome == TlsDirectRecords.DECRYPTED)
        {
            netInStart += direct.consumedBytes();
            directRecords++;
        }
        return outcome;
    }

    /** Drops {@code count} bytes from the start of the ciphertext not yet unwrapped. */
    private void dropCiphertext(final int count)
    {
        compactNetIn();
        netIn.flip();
        netIn.position(count);
        netIn.compact();
    }

    /** Moves the ciphertext not yet unwrapped to the start of the receive buffer, as the engine and reads expect it. */
    private void compactNetIn()
    {
        if (netInStart > 0)
        {
            netIn.flip();
            netIn.position(netInStart);
            netIn.compact();
            netInStart = 0;
        }
    }

    private void closeInboundQuietly()
    {
        try
        {
            engine.closeInbound();
        }
        catch (final SSLException truncated)
        {
            // the stream ended without close_notify: closeNotifyReceived() stays false
        }
    }

    /**
     * @return whether the receive buffer holds a whole record by its 5-byte header (content type,
     * version, length); a buffer that holds something else is left for the engine to reject.
     */
    private boolean hasWholeRecord()
    {
        final int buffered = netIn.position() - netInStart;
        return buffered >= RECORD_HEADER_BYTES &&
            buffered >= RECORD_HEADER_BYTES + (netIn.getShort(netInStart + RECORD_LENGTH_OFFSET) & 0xFFFF);
    }

    /** @return whether ciphertext is buffered that has not been unwrapped. */
    boolean hasCiphertext()
    {
        return netIn.position() > netInStart;
    }

    /** Reads ciphertext, parking until some arrives: the transport's {@code read}. */
    int read() throws IOException, InterruptedException
    {
        compactNetIn();
        return tcp.read(netIn);
    }

    /** Reads ciphertext, parking at most {@code timeoutNs}: the transport's timed {@code read}. */
    int read(final long timeoutNs) throws IOException, InterruptedException
    {
        compactNetIn();
        return tcp.read(netIn, timeoutNs);
    }

    /** @return whether plaintext is waiting to be handed out. */
    boolean hasPlaintext()
    {
        return appIn.hasRemaining();
    }

    /** Hands out as much plaintext as {@code dst} takes. @return bytes copied. */
    int transferPlaintext(final ByteBuffer dst)
    {
        return TlsBuffers.transfer(appIn, dst);
    }

    /** @return whether the peer's close_notify or the end of the TCP stream was read. */
    boolean inboundDone()
    {
        return inboundDone;
    }

    /** @return whether the peer's close_notify was read. */
    boolean closeNotifyReceived()
    {
        return closeNotifyReceived;
    }

    /** @return records encrypted or decrypted on the direct path. */
    long directRecords()
    {
        return directRecords;
    }

    /** @return handshake records wrapped after the opening handshake. */
    long postHandshakeWrites()
    {
        return postHandshakeWrites;
    }

    /** Grows the plaintext buffer if the negotiated session needs more than was allocated up front. */
    void fitSession()
    {
        final int size = engine.getSession().getApplicationBufferSize();
        if (appIn.capacity() < size)
        {
            appIn = TlsBuffers.grownReadMode(appIn, size, "application buffer");
        }
    }

    /** Sends the engine's pending output (an alert, close_notify), ignoring every failure: the connection is going away. */
    void sendPendingQuietly()
    {
        try
        {
            wrapHandshake();
        }
        catch (final IOException | RuntimeException ignore)
        {
            // best effort
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private SSLEngineResult wrapAndSend(final ByteBuffer[] sources) throws IOException, InterruptedException
    {
        while (true)
        {
            netOut.clear();
            final SSLEngineResult result = engine.wrap(sources, 0, 1, netOut);
            netOut.flip();
            if (result.getStatus() == Status.BUFFER_OVERFLOW)
            {
                netOut = TlsBuffers.grownWriteMode(netOut, engine.getSession().getPacketBufferSize(), "packet buffer");
                continue;
            }
            if (netOut.hasRemaining())
            {
                tcp.writeFully(netOut);
            }
            else if (result.getStatus() == Status.OK && result.bytesConsumed() == 0 &&
                result.getHandshakeStatus() == HandshakeStatus.NEED_WRAP)
            {
                throw new SSLException("TLS engine made no progress wrapping (" + result + ')'); // rather than spin the reactor
            }
            return result;
        }
    }

    private SSLEngineResult unwrapOnce() throws SSLException
    {
        compactNetIn();
        netIn.flip();
        appIn.compact();
        unwrapTargets[0] = appIn;
        try
        {
            return engine.unwrap(netIn, unwrapTargets, 0, 1);
        }
        finally
        {
            netIn.compact();
            appIn.flip();
        }
    }

    private void growNetIn() throws TlsException
    {
        compactNetIn();
        final int packetSize = engine.getSession().getPacketBufferSize();
        if (netIn.capacity() >= NET_IN_RECORDS * packetSize)
        {
            throw TlsException.of(peer, "a record larger than the session's packet size (" + packetSize + " bytes)", null);
        }
        netIn = TlsBuffers.grownWriteMode(netIn, NET_IN_RECORDS * packetSize, "packet buffer");
    }
}
