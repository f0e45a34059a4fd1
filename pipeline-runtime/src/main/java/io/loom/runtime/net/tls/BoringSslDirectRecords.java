package io.loom.runtime.net.tls;

import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.internal.tcnative.Buffer;
import io.netty.internal.tcnative.SSL;

import javax.net.ssl.SSLEngine;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;

/**
 * {@link TlsDirectRecords} for Netty's {@link ReferenceCountedOpenSslEngine}: the calls its
 * {@code unwrap} and {@code wrap} make into BoringSSL for an application-data record of an
 * established session (netty-tcnative's {@code bioSetByteBuffer}, {@code readFromSSL} /
 * {@code writeToSSL}, {@code bioClearByteBuffer} on the engine's SSL and network BIO), made
 * directly, so no {@code SSLEngineResult} is allocated per record.
 *
 * <pre>
 *   decrypt: netIn ─ bioSetByteBuffer(read) ─▶ SSL_read ─▶ appIn
 *              n > 0 ............................ plaintext            DECRYPTED
 *              WANT_READ ........................ ticket, KeyUpdate    DECRYPTED (no plaintext; a KeyUpdate answer waits in
 *                                                                    BoringSSL for the next write, as with the engine)
 *              ZERO_RETURN, SSL, SYSCALL ........ close_notify, bad   REPLAY_ON_ENGINE: BoringSSL latches these, so the
 *                                                 record, alert       engine's unwrap of the same bytes replays them
 *   encrypt: src ─ SSL_write ─▶ bioSetByteBuffer(write) ─▶ netOut     only when the BIO holds no handshake output
 * </pre>
 *
 * <p><b>What makes it safe.</b> The engine's handshake is finished and stays the owner of every
 * other state: each call takes the engine's lock (its {@code wrap}, {@code unwrap} and
 * {@code shutdown} are {@code synchronized} on it) and reads the SSL pointer under it, so an
 * engine freed by a concurrent close is seen as 0 and the call answers {@code NOT_TAKEN}; while the
 * pointer is not 0 under the lock the network BIO is alive too. It steps aside ({@code NOT_TAKEN})
 * when the engine's inbound or outbound is closed, while BoringSSL is in a handshake (a TLS 1.2
 * renegotiation), for a TLS 1.2 record that is not application data (alerts and handshake messages
 * are visible there), for a record longer than TLS allows (the engine rejects those itself) and,
 * on the write side, while handshake output (an alert, a KeyUpdate answer) waits in the BIO.
 *
 * <p><b>Reflection.</b> The network BIO is the engine's private {@code networkBIO} field (the SSL
 * pointer is public, {@code sslPointer()}). It is looked up once, with the engine's exact class
 * and the field's type checked; if anything is not as expected, {@link #create} answers null and
 * the connection keeps to the engine's path. Netty is on the class path (an unnamed module), whose
 * private fields are open to reflection.
 *
 * <p>Thread-safety: one per connection, used by the fiber that owns it (see {@link TlsDirectRecords}).
 */
final class BoringSslDirectRecords implements TlsDirectRecords
{
    private static final int RECORD_TYPE_APPLICATION_DATA = 23;
    /** TLSCiphertext.length limit (RFC 8446 5.2): 2^14 + 256. */
    private static final int MAX_CIPHERTEXT_BODY_BYTES = 16_384 + 256;
    private static final int RECORD_HEADER_BYTES = 5;
    private static final Field NETWORK_BIO = networkBioField();

    private final ReferenceCountedOpenSslEngine engine;
    private final long networkBio;
    private final boolean tls12;
    /** Record header, padding and tag BoringSSL adds per record in this session. */
    private final int maxWrapOverhead;

    private final BufferAddress netInAddress = new BufferAddress();
    private final BufferAddress appInAddress = new BufferAddress();
    private final BufferAddress sourceAddress = new BufferAddress();
    private final BufferAddress netOutAddress = new BufferAddress();
    private int consumedBytes;

    private BoringSslDirectRecords(
        final ReferenceCountedOpenSslEngine engine, final long networkBio, final boolean tls12, final int maxWrapOverhead)
    {
        this.engine = engine;
        this.networkBio = networkBio;
        this.tls12 = tls12;
        this.maxWrapOverhead = maxWrapOverhead;
    }

    /**
     * @return the direct record path for {@code engine} after its handshake, or null if the engine
     * is not exactly Netty's reference-counted OpenSSL engine, its private network BIO cannot be
     * read, the engine is closed, or the protocol is neither TLS 1.3 nor TLS 1.2.
     */
    static TlsDirectRecords create(final SSLEngine engine)
    {
        if (NETWORK_BIO == null || engine.getClass() != ReferenceCountedOpenSslEngine.class)
        {
            return null;
        }
        final ReferenceCountedOpenSslEngine openSsl = (ReferenceCountedOpenSslEngine)engine;
        synchronized (openSsl)
        {
            final String protocol = openSsl.getSession().getProtocol();
            if (openSsl.sslPointer() == 0 || !("TLSv1.3".equals(protocol) || "TLSv1.2".equals(protocol)))
            {
                return null;
            }
            final long networkBio;
            try
            {
                networkBio = NETWORK_BIO.getLong(openSsl);
            }
            catch (final IllegalAccessException ex)
            {
                return null;
            }
            return networkBio == 0 ? null :
                new BoringSslDirectRecords(openSsl, networkBio, "TLSv1.2".equals(protocol), SSL.getMaxWrapOverhead(openSsl.sslPointer()));
        }
    }

    @Override
    public int decrypt(final ByteBuffer netIn, final int offset, final int recordBytes, final ByteBuffer appIn)
    {
        consumedBytes = 0;
        if (offset < 0 || recordBytes < RECORD_HEADER_BYTES || offset + recordBytes > netIn.capacity() || // never read native memory past the buffer
            recordBytes - RECORD_HEADER_BYTES > MAX_CIPHERTEXT_BODY_BYTES ||
            tls12 && netIn.get(offset) != RECORD_TYPE_APPLICATION_DATA ||
            appIn.remaining() < Math.min(MAX_PLAINTEXT_BYTES, recordBytes - RECORD_HEADER_BYTES))
        {
            return NOT_TAKEN;
        }
        final long inAddress = netInAddress.of(netIn);
        final long plainAddress = appInAddress.of(appIn);
        synchronized (engine)
        {
            final long ssl = engine.sslPointer();
            if (ssl == 0 || engine.isInboundDone() || SSL.isInInit(ssl) != 0)
            {
                return NOT_TAKEN;
            }
            final int position = appIn.position();
            SSL.bioSetByteBuffer(networkBio, inAddress + offset, recordBytes, false);
            final int plaintext;
            try
            {
                plaintext = SSL.readFromSSL(ssl, plainAddress + position, appIn.limit() - position);
                consumedBytes = recordBytes - SSL.bioLengthByteBuffer(networkBio);
            }
            finally
            {
                SSL.bioClearByteBuffer(networkBio);
            }
            if (plaintext > 0)
            {
                appIn.position(position + plaintext);
                return DECRYPTED;
            }
            final int error = SSL.getError(ssl, plaintext);
            if ((error == SSL.SSL_ERROR_WANT_READ || error == SSL.SSL_ERROR_WANT_WRITE) &&
                (SSL.getShutdown(ssl) & SSL.SSL_RECEIVED_SHUTDOWN) == 0)
            {
                return DECRYPTED; // a post-handshake message: BoringSSL handled it, as inside the engine's unwrap
            }
            return REPLAY_ON_ENGINE;
        }
    }

    @Override
    public int encrypt(final ByteBuffer src, final ByteBuffer netOut)
    {
        if (!src.isDirect() || !src.hasRemaining())
        {
            return NOT_TAKEN;
        }
        final long srcAddress = sourceAddress.of(src);
        final long outAddress = netOutAddress.of(netOut);
        synchronized (engine)
        {
            final long ssl = engine.sslPointer();
            if (ssl == 0 || engine.isInboundDone() || SSL.bioLengthNonApplication(networkBio) != 0 || engine.isOutboundDone() ||
                SSL.isInInit(ssl) != 0)
            {
                return NOT_TAKEN; // with nothing pending in the BIO, isOutboundDone() is "closeOutbound() was called"
            }
            final int outPosition = netOut.position();
            final int room = netOut.limit() - outPosition;
            if (room < Math.min(src.remaining(), MAX_PLAINTEXT_BYTES) + maxWrapOverhead)
            {
                return NOT_TAKEN;
            }
            final int position = src.position();
            SSL.bioSetByteBuffer(networkBio, outAddress + outPosition, room, true);
            final int written;
            try
            {
                written = SSL.writeToSSL(ssl, srcAddress + position, Math.min(src.remaining(), MAX_PLAINTEXT_BYTES));
                netOut.position(outPosition + room - SSL.bioLengthByteBuffer(networkBio));
            }
            finally
            {
                SSL.bioClearByteBuffer(networkBio);
            }
            if (written <= 0)
            {
                return NOT_TAKEN; // nothing encrypted; BoringSSL answers the engine's retry of the same write the same way
            }
            src.position(position + written);
            return written;
        }
    }

    @Override
    public int consumedBytes()
    {
        return consumedBytes;
    }

    private static Field networkBioField()
    {
        try
        {
            final Field field = ReferenceCountedOpenSslEngine.class.getDeclaredField("networkBIO");
            if (field.getType() != long.class)
            {
                return null;
            }
            field.setAccessible(true);
            return field;
        }
        catch (final NoSuchFieldException | RuntimeException ex)
        {
            return null; // not the Netty this was written against, or reflection refused: the engine's path only
        }
    }

    /** The native address of the direct buffer last asked about, looked up again only when the buffer changes. */
    private static final class BufferAddress
    {
        private ByteBuffer buffer;
        private long address;

        long of(final ByteBuffer direct)
        {
            if (direct != buffer)
            {
                address = Buffer.address(direct);
                buffer = direct;
            }
            return address;
        }
    }
}
