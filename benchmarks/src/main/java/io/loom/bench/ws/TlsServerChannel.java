package io.loom.bench.ws;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.util.function.LongConsumer;

/**
 * The server side of a TLS connection for {@link FramePushServer}: an {@link SSLEngine} driven by
 * plain blocking calls on a blocking {@link SocketChannel}, no event loop. {@link #handshake()}
 * runs the opening handshake; {@link #read} unwraps what the client sends; {@link #write} wraps as
 * many records as fit one send buffer ({@value #RECORDS_PER_SEND} records) and writes them with one
 * system call.
 *
 * <pre>
 *   write: src ─▶ engine.wrap ×{@value #RECORDS_PER_SEND} ─▶ netOut ─▶ channel.write (blocking, all of it)
 *   read:  channel.read ─▶ netIn ─▶ engine.unwrap ─▶ appIn ─▶ dst
 * </pre>
 *
 * <p>Thread-safety: one thread, the one serving the connection.
 */
public final class TlsServerChannel implements ByteChannel
{
    private static final int RECORDS_PER_SEND = 4;

    private final SSLEngine engine;
    private final SocketChannel channel;
    private final int packetBytes;
    private final ByteBuffer noData = ByteBuffer.allocate(0);
    /** Ciphertext read and not yet unwrapped; write mode. */
    private final ByteBuffer netIn;
    /** Ciphertext to send; cleared before each batch of wraps. */
    private final ByteBuffer netOut;
    /** Plaintext unwrapped and not yet read; write mode. */
    private final ByteBuffer appIn;

    /**
     * @param engine  a server-mode engine, not yet handshaking.
     * @param channel a connected, blocking socket channel.
     */
    public TlsServerChannel(final SSLEngine engine, final SocketChannel channel)
    {
        this.engine = engine;
        this.channel = channel;
        this.packetBytes = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocateDirect(2 * packetBytes);
        this.netOut = ByteBuffer.allocateDirect(RECORDS_PER_SEND * packetBytes);
        this.appIn = ByteBuffer.allocateDirect(engine.getSession().getApplicationBufferSize());
    }

    /** Runs the opening handshake to its end. @throws IOException if it fails or the client leaves. */
    public void handshake() throws IOException
    {
        engine.beginHandshake();
        HandshakeStatus status = engine.getHandshakeStatus();
        while (status != HandshakeStatus.NOT_HANDSHAKING && status != HandshakeStatus.FINISHED)
        {
            status = switch (status)
            {
                case NEED_WRAP -> wrapAndSend(noData).getHandshakeStatus();
                case NEED_TASK -> runTasks();
                default -> unwrapReading().getHandshakeStatus(); // NEED_UNWRAP, NEED_UNWRAP_AGAIN
            };
        }
    }

    /** @return the negotiated protocol and cipher suite, e.g. "TLSv1.3 TLS_AES_128_GCM_SHA256". */
    public String negotiated()
    {
        return engine.getSession().getProtocol() + ' ' + engine.getSession().getCipherSuite();
    }

    /** Blocks until plaintext is there, then hands out as much as {@code dst} takes. */
    @Override
    public int read(final ByteBuffer dst) throws IOException
    {
        while (appIn.position() == 0)
        {
            final SSLEngineResult result = unwrapReading();
            switch (result.getHandshakeStatus())
            {
                case NEED_WRAP -> wrapAndSend(noData); // a post-handshake message, e.g. a session ticket
                case NEED_TASK -> runTasks();
                default ->
                {
                    if (result.bytesConsumed() == 0 && result.bytesProduced() == 0)
                    {
                        readMore();
                    }
                }
            }
        }
        appIn.flip();
        final int count = Math.min(appIn.remaining(), dst.remaining());
        final int limit = appIn.limit();
        appIn.limit(appIn.position() + count);
        dst.put(appIn);
        appIn.limit(limit);
        appIn.compact();
        return count;
    }

    /** Encrypts and sends all of {@code src}, blocking until the socket took it. */
    @Override
    public int write(final ByteBuffer src) throws IOException
    {
        final int bytes = src.remaining();
        writeTimed(src, null);
        return bytes;
    }

    /**
     * Encrypts and sends all of {@code src} as {@link #write} does, and says when the encryption
     * ended: for a timed sender, which splits its send into encryption and the system call.
     *
     * @param beforeFirstSend told, if not null, the clock read after the first batch of records was wrapped,
     *                        before that batch is sent: when the bytes leave.
     * @return {@link System#nanoTime()} read after the last batch of records was wrapped, before it was sent.
     * @throws IOException if the engine or the socket fails.
     */
    public long writeTimed(final ByteBuffer src, final LongConsumer beforeFirstSend) throws IOException
    {
        long wrappedNs = 0;
        boolean first = true;
        while (src.hasRemaining())
        {
            netOut.clear();
            while (src.hasRemaining() && netOut.remaining() >= packetBytes)
            {
                final SSLEngineResult result = checkOk(engine.wrap(src, netOut));
                if (result.bytesConsumed() == 0 && result.bytesProduced() == 0)
                {
                    throw new SSLException("TLS engine made no progress wrapping (" + result + ')');
                }
            }
            wrappedNs = System.nanoTime();
            if (first && beforeFirstSend != null)
            {
                beforeFirstSend.accept(wrappedNs);
            }
            first = false;
            sendNetOut();
        }
        return wrappedNs;
    }

    @Override
    public boolean isOpen()
    {
        return channel.isOpen();
    }

    /** Closes the socket (no close_notify: the benchmark client is gone or going). */
    @Override
    public void close() throws IOException
    {
        channel.close();
    }

    private SSLEngineResult wrapAndSend(final ByteBuffer src) throws IOException
    {
        netOut.clear();
        final SSLEngineResult result = checkOk(engine.wrap(src, netOut));
        sendNetOut();
        return result;
    }

    private void sendNetOut() throws IOException
    {
        netOut.flip();
        while (netOut.hasRemaining())
        {
            channel.write(netOut);
        }
    }

    /** Unwraps one record, reading from the socket until a whole one is there. */
    private SSLEngineResult unwrapReading() throws IOException
    {
        while (true)
        {
            netIn.flip();
            final SSLEngineResult result;
            try
            {
                result = engine.unwrap(netIn, appIn);
            }
            finally
            {
                netIn.compact();
            }
            if (result.getStatus() != Status.BUFFER_UNDERFLOW)
            {
                return checkOk(result);
            }
            readMore();
        }
    }

    private void readMore() throws IOException
    {
        if (channel.read(netIn) < 0)
        {
            throw new EOFException("the client closed the connection");
        }
    }

    private HandshakeStatus runTasks()
    {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null)
        {
            task.run();
        }
        return engine.getHandshakeStatus();
    }

    private static SSLEngineResult checkOk(final SSLEngineResult result) throws SSLException
    {
        if (result.getStatus() != Status.OK)
        {
            throw new SSLException("unexpected TLS engine result " + result);
        }
        return result;
    }
}
