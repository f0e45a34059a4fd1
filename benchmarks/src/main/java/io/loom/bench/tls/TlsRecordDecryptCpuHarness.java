package io.loom.bench.tls;

import io.loom.bench.ThreadCpuTimerCost;
import io.loom.bench.ws.BenchmarkTls;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What decrypting a full 16 KiB TLS record costs a client, per cipher suite and engine, in thread CPU time
 * (the figure a loaded machine disturbs least): the e2e server (BoringSSL) encrypts records in memory, the
 * client engine under test decrypts them, timed alone.
 *
 * <pre>
 *   per round, per case (cases alternated, so every case sees the machine's same regimes):
 *     new server + client engine, handshake in memory ─▶ 64 x (server wraps 8 x 16 KiB (untimed)
 *     ─▶ client unwraps them: getCurrentThreadCpuTime before / after, the timer's own cost taken out) ─▶ ns per record
 *   cases: {BoringSSL client (Loom's), JDK client (the DIY baseline's java.net.http)} x
 *          {TLS 1.3 default, AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305 (TLS 1.2 ECDHE-ECDSA suites: same AEAD)}
 * </pre>
 *
 * <p>BoringSSL cannot be told which TLS 1.3 suites to offer, so the per-suite cases use the TLS 1.2
 * suites with the same AEAD; the "default" case shows what each client negotiates with the e2e server
 * by itself: BoringSSL with its own preference, the JDK engine with the JDK's default suites (what
 * java.net.http offers), not Netty's default list. The plaintext is ASCII (AEAD cost does not depend on content). Run:
 * {@code java -cp benchmarks.jar io.loom.bench.tls.TlsRecordDecryptCpuHarness [rounds]}.
 *
 * <p>Thread-safety: a main program, one thread.
 */
public final class TlsRecordDecryptCpuHarness
{
    private static final int RECORD_PLAINTEXT = 16_384;
    private static final int BATCH = 8;
    private static final int BATCHES = 64;
    /** A Binance depth message in the e2e stream, WebSocket header included: records per message = this / 16 KiB. */
    private static final int MESSAGE_BYTES = 1_450;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static final String[][] SUITES = {
        {"TLS 1.3 default", null},
        {"AES-128-GCM", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
        {"AES-256-GCM", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"},
        {"ChaCha20-Poly1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"},
    };
    private static final SslProvider[] CLIENTS = {SslProvider.OPENSSL_REFCNT, SslProvider.JDK};

    private TlsRecordDecryptCpuHarness()
    {
    }

    /**
     * Runs the rounds and prints every case's decrypt cost per record, per KiB and per e2e message.
     *
     * @param args optional: the number of rounds (default 5).
     * @throws Exception if TLS cannot be set up.
     */
    public static void main(final String[] args) throws Exception
    {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        final KeyStore store = BenchmarkTls.keyStore();
        final PrivateKey key = (PrivateKey)store.getKey("localhost", "loom-bench".toCharArray());
        final X509Certificate certificate = (X509Certificate)store.getCertificate("localhost");
        final ByteBuffer plaintext = ByteBuffer.allocateDirect(RECORD_PLAINTEXT);
        final byte[] ascii = "{\"e\":\"depthUpdate\",\"b\":[[\"2600.12000000\",\"1.23400000\"]]}".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < RECORD_PLAINTEXT; i++)
        {
            plaintext.put(i, ascii[i % ascii.length]);
        }
        final long timerNs = ThreadCpuTimerCost.medianNs();
        final long[][][] nsPerRecord = new long[CLIENTS.length][SUITES.length][rounds];
        final String[][] negotiated = new String[CLIENTS.length][SUITES.length];
        for (int round = -1; round < rounds; round++) // round -1 warms up every case
        {
            for (int c = 0; c < CLIENTS.length; c++)
            {
                for (int s = 0; s < SUITES.length; s++)
                {
                    final EnginePair pair = EnginePair.handshake(key, certificate, CLIENTS[c], SUITES[s][1]);
                    negotiated[c][s] = pair.negotiated();
                    final long ns = pair.decryptCpuNsPerRecord(plaintext, timerNs);
                    pair.release();
                    if (round >= 0)
                    {
                        nsPerRecord[c][s][round] = ns;
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "TLS record decrypt, client thread CPU, %d rounds of %d x %d records of %d B (median; per round); timer %d ns%n",
            rounds, BATCHES, BATCH, RECORD_PLAINTEXT, timerNs);
        System.out.printf(Locale.ROOT, "%-8s %-18s %-48s %10s %10s %10s %s%n",
            "client", "case", "negotiated", "ns/record", "ns/KiB", "ns/msg", "rounds");
        for (int c = 0; c < CLIENTS.length; c++)
        {
            for (int s = 0; s < SUITES.length; s++)
            {
                final long[] values = nsPerRecord[c][s].clone();
                Arrays.sort(values);
                final long median = values[values.length / 2];
                System.out.printf(Locale.ROOT, "%-8s %-18s %-48s %10d %10.1f %10.1f %s%n",
                    CLIENTS[c] == SslProvider.JDK ? "JDK" : "BoringSSL", SUITES[s][0], negotiated[c][s], median,
                    median / (RECORD_PLAINTEXT / 1024.0), median * (double)MESSAGE_BYTES / RECORD_PLAINTEXT,
                    Arrays.toString(nsPerRecord[c][s]));
            }
        }
    }

    /** A BoringSSL server engine and a client engine, connected in memory. */
    private static final class EnginePair
    {
        private final SSLEngine server;
        private final SSLEngine client;
        private final ByteBuffer toClient = ByteBuffer.allocateDirect(1 << 17);
        private final ByteBuffer toServer = ByteBuffer.allocateDirect(1 << 17);
        private final ByteBuffer clientApp = ByteBuffer.allocateDirect(1 << 17);
        private final ByteBuffer serverApp = ByteBuffer.allocateDirect(1 << 17);

        private EnginePair(final SSLEngine server, final SSLEngine client)
        {
            this.server = server;
            this.client = client;
        }

        static EnginePair handshake(final PrivateKey key, final X509Certificate certificate, final SslProvider clientProvider, final String suite)
            throws SSLException, NoSuchAlgorithmException
        {
            final SslContextBuilder serverBuilder = SslContextBuilder.forServer(key, certificate).sslProvider(SslProvider.OPENSSL_REFCNT);
            final SslContextBuilder clientBuilder = SslContextBuilder.forClient().sslProvider(clientProvider)
                .trustManager(InsecureTrustManagerFactory.INSTANCE);
            if (suite != null)
            {
                serverBuilder.protocols("TLSv1.2").ciphers(List.of(suite));
                clientBuilder.protocols("TLSv1.2").ciphers(List.of(suite));
            }
            else if (clientProvider == SslProvider.JDK)
            {
                // the JDK's own defaults, as java.net.http offers them (Netty's default list would put AES-128 first)
                clientBuilder.protocols("TLSv1.3", "TLSv1.2")
                    .ciphers(List.of(SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites()), IdentityCipherSuiteFilter.INSTANCE);
            }
            else
            {
                clientBuilder.protocols("TLSv1.3", "TLSv1.2");
            }
            final SslContext serverContext = serverBuilder.build();
            final SslContext clientContext = clientBuilder.build();
            final EnginePair pair = new EnginePair(
                serverContext.newEngine(UnpooledByteBufAllocator.DEFAULT), clientContext.newEngine(UnpooledByteBufAllocator.DEFAULT, "localhost", 443));
            pair.server.setUseClientMode(false);
            pair.client.setUseClientMode(true);
            pair.client.beginHandshake();
            pair.server.beginHandshake();
            for (int step = 0; step < 200 && !(done(pair.client) && done(pair.server)); step++)
            {
                pair.step(pair.client, pair.toServer, pair.toClient, pair.clientApp);
                pair.step(pair.server, pair.toClient, pair.toServer, pair.serverApp);
            }
            if (!(done(pair.client) && done(pair.server)))
            {
                throw new SSLException("in-memory handshake did not finish: " + pair.client.getHandshakeStatus() + " / " + pair.server.getHandshakeStatus());
            }
            pair.settle();
            return pair;
        }

        String negotiated()
        {
            return client.getSession().getProtocol() + ' ' + client.getSession().getCipherSuite();
        }

        /**
         * Server encrypts {@value #BATCH} records (untimed), the client decrypts them (timed), {@value #BATCHES}
         * times: a batch is what one socket read of Loom's brings in (its receive buffer holds 8 records), and
         * fits the L2 cache, as the bytes a read just copied do.
         *
         * @return client CPU ns per record, the timer's own cost taken out.
         */
        long decryptCpuNsPerRecord(final ByteBuffer plaintext, final long timerNs) throws SSLException
        {
            final ByteBuffer[] records = new ByteBuffer[BATCH];
            for (int i = 0; i < BATCH; i++)
            {
                records[i] = ByteBuffer.allocateDirect(RECORD_PLAINTEXT + 512);
            }
            final ByteBuffer app = ByteBuffer.allocateDirect(RECORD_PLAINTEXT + 1024);
            long plaintextBytes = 0;
            long spentNs = 0;
            for (int batch = 0; batch < BATCHES; batch++)
            {
                for (final ByteBuffer record : records)
                {
                    final ByteBuffer source = plaintext.duplicate().clear();
                    check(server.wrap(source, record.clear()));
                    if (source.hasRemaining())
                    {
                        throw new SSLException("a record did not take 16 KiB of plaintext");
                    }
                    record.flip();
                }
                final long startNs = THREADS.getCurrentThreadCpuTime();
                for (final ByteBuffer record : records)
                {
                    app.clear();
                    check(client.unwrap(record, app));
                    plaintextBytes += app.position();
                }
                spentNs += THREADS.getCurrentThreadCpuTime() - startNs - timerNs;
            }
            if (plaintextBytes != (long)BATCH * BATCHES * RECORD_PLAINTEXT)
            {
                throw new SSLException("decrypted " + plaintextBytes + " bytes, not " + (long)BATCH * BATCHES * RECORD_PLAINTEXT + " (" + negotiated() + ')');
            }
            return spentNs / ((long)BATCH * BATCHES);
        }

        void release()
        {
            for (final SSLEngine engine : new SSLEngine[] {server, client})
            {
                if (engine instanceof ReferenceCountedOpenSslEngine counted)
                {
                    counted.release();
                }
            }
        }

        private void step(final SSLEngine engine, final ByteBuffer out, final ByteBuffer in, final ByteBuffer app) throws SSLException
        {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK)
            {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null)
                {
                    task.run();
                }
                status = engine.getHandshakeStatus();
            }
            if (status == HandshakeStatus.NEED_WRAP)
            {
                check(engine.wrap(ByteBuffer.allocate(0), out));
            }
            else if (status == HandshakeStatus.NEED_UNWRAP || status == HandshakeStatus.NEED_UNWRAP_AGAIN)
            {
                in.flip();
                check(engine.unwrap(in, app));
                in.compact();
            }
        }

        /**
         * After the handshake: each side sends what it still holds (the client's Finished, the server's
         * TLS 1.3 tickets) and the other reads it, until neither has anything more, so the records
         * timed later hold application data only.
         */
        private void settle() throws SSLException
        {
            final ByteBuffer empty = ByteBuffer.allocate(0);
            for (int i = 0; i < 8; i++)
            {
                toServer.clear();
                toClient.clear();
                final int sent = client.wrap(empty, toServer).bytesProduced() + server.wrap(empty, toClient).bytesProduced();
                toServer.flip();
                toClient.flip();
                while (toServer.hasRemaining() && server.unwrap(toServer, serverApp.clear()).bytesConsumed() > 0)
                {
                    // the client's last handshake records
                }
                while (toClient.hasRemaining() && client.unwrap(toClient, clientApp.clear()).bytesConsumed() > 0)
                {
                    // tickets
                }
                if (sent == 0)
                {
                    prime();
                    return;
                }
            }
            throw new SSLException("the engines kept sending after the handshake");
        }

        /**
         * BoringSSL sends its TLS 1.3 tickets with the first application data, and its client then
         * asks to wrap once: one small record through both, answered, before anything is timed.
         */
        private void prime() throws SSLException
        {
            final ByteBuffer empty = ByteBuffer.allocate(0);
            toClient.clear();
            check(server.wrap(ByteBuffer.wrap(new byte[] {'x'}), toClient));
            toClient.flip();
            int plaintext = 0;
            for (int i = 0; i < 16 && (toClient.hasRemaining() || client.getHandshakeStatus() == HandshakeStatus.NEED_WRAP); i++)
            {
                if (client.getHandshakeStatus() == HandshakeStatus.NEED_WRAP)
                {
                    toServer.clear();
                    check(client.wrap(empty, toServer));
                    continue;
                }
                final SSLEngineResult result = client.unwrap(toClient, clientApp.clear());
                check(result);
                plaintext += result.bytesProduced();
            }
            if (plaintext != 1 || toClient.hasRemaining())
            {
                throw new SSLException("the priming record did not come through: " + plaintext + " B, " + client.getHandshakeStatus());
            }
        }

        private static boolean done(final SSLEngine engine)
        {
            final HandshakeStatus status = engine.getHandshakeStatus();
            return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
        }

        private static void check(final SSLEngineResult result) throws SSLException
        {
            if (result.getStatus() != SSLEngineResult.Status.OK && result.getStatus() != SSLEngineResult.Status.BUFFER_UNDERFLOW)
            {
                throw new SSLException("TLS engine: " + result);
            }
        }
    }
}
