package io.loom.runtime.net.tls;

import io.loom.api.fiber.NanoClock;
import io.loom.runtime.net.ChunkedReadTransport;
import io.loom.runtime.net.TestCertificates;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link TlsRecordLayer} hands BoringSSL's engine whole records only: with every record split
 * across two reads, unwrapping a stream allocates one {@code SSLEngineResult} (40 bytes) per record
 * and nothing for the split (an unwrap of a partial record would cost a BUFFER_UNDERFLOW result,
 * 40 bytes more). Runs on the test thread: an in-memory JDK server engine wraps the records, a
 * transport hands them out {@value #READ_BYTES} bytes per read. With the direct record path
 * ({@link TlsDirectRecords}) the same stream costs nothing at all per record. The time per record
 * of each path is printed for comparison (on the test thread, no I/O waits), not asserted. The
 * other way round, a stream that is all there is taken several full records per transport read.
 */
class TlsRecordLayerSplitRecordTest
{
    private static final int RECORD_PLAINTEXT_BYTES = 1000;
    private static final int READ_BYTES = 700;
    /** TLS's largest record plaintext. */
    private static final int FULL_RECORD_BYTES = 16_384;
    private static final int RECORDS = 4000;
    private static final long RESULT_BYTES = 40;
    /** Header, content type and tag of a TLS 1.3 AES-GCM record, with room to spare. */
    private static final int RECORD_OVERHEAD_BYTES = 64;

    @ParameterizedTest(name = "direct records {0}")
    @ValueSource(booleans = {false, true})
    void shouldUnwrapWholeRecordsOnlyWhenReadsSplitThem(final boolean direct) throws Exception
    {
        final TlsContext context = TlsClients.trustingTestCa(TlsEngineProvider.OPENSSL).conclude();
        final SSLEngine client = context.newClientEngine("localhost", 443);
        final SSLEngine server = serverEngine();
        handshakeInMemory(client, server);
        final ChunkedReadTransport transport = new ChunkedReadTransport(wrapRecords(server, 2 * RECORDS, RECORD_PLAINTEXT_BYTES), READ_BYTES);
        final TlsRecordLayer records = new TlsRecordLayer(client, transport, "localhost:443", new TlsEngineTasks(client),
            NanoClock.SYSTEM, TimeUnit.SECONDS.toNanos(10));
        if (direct)
        {
            records.useDirectRecords(context.engines().directRecords(client));
        }
        final ByteBuffer plaintext = ByteBuffer.allocateDirect(RECORD_PLAINTEXT_BYTES);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

        receive(records, plaintext, 0, RECORDS); // warm-up
        final long before = threads.getCurrentThreadAllocatedBytes();
        final long startNs = System.nanoTime();
        receive(records, plaintext, RECORDS, RECORDS);
        final long elapsedNs = System.nanoTime() - startNs;
        final double bytesPerRecord = (double)(threads.getCurrentThreadAllocatedBytes() - before) / RECORDS;
        final long directRecords = records.directRecords();
        context.releaseEngine(client);

        System.out.printf("[allocation] BoringSSL, direct records %s, %d B records read %d B at a time: %.1f B and %d ns per record unwrapped%n",
            direct, RECORD_PLAINTEXT_BYTES, READ_BYTES, bytesPerRecord, elapsedNs / RECORDS);
        assertTrue(transport.fullReads() >= RECORDS, "reads did not split records: " + transport.fullReads());
        if (direct)
        {
            assertEquals(2 * RECORDS, directRecords, "every record on the direct path");
            assertTrue(bytesPerRecord < 1, "the direct path allocated " + bytesPerRecord + " B per record");
        }
        else
        {
            assertEquals(0, directRecords);
            assertTrue(bytesPerRecord < RESULT_BYTES + RESULT_BYTES / 2,
                "unwrapping allocated " + bytesPerRecord + " B per record; one SSLEngineResult is " + RESULT_BYTES);
        }
    }

    /**
     * A stream that is all there: each transport read takes as many whole 16 KiB records as the
     * receive buffer holds (eight), not one or two, so a fast stream costs few read system calls.
     */
    @ParameterizedTest(name = "direct records {0}")
    @ValueSource(booleans = {false, true})
    void shouldTakeSeveralFullRecordsPerTransportRead(final boolean direct) throws Exception
    {
        final int records = 400;
        final TlsContext context = TlsClients.trustingTestCa(TlsEngineProvider.OPENSSL).conclude();
        final SSLEngine client = context.newClientEngine("localhost", 443);
        final SSLEngine server = serverEngine();
        handshakeInMemory(client, server);
        final ChunkedReadTransport transport = new ChunkedReadTransport(wrapRecords(server, records, FULL_RECORD_BYTES), Integer.MAX_VALUE);
        final TlsRecordLayer layer = new TlsRecordLayer(client, transport, "localhost:443", new TlsEngineTasks(client),
            NanoClock.SYSTEM, TimeUnit.SECONDS.toNanos(10));
        if (direct)
        {
            layer.useDirectRecords(context.engines().directRecords(client));
        }
        receive(layer, ByteBuffer.allocateDirect(FULL_RECORD_BYTES), 0, records);
        context.releaseEngine(client);

        System.out.printf("[reads] direct records %s: %d transport reads for %d records of %d B%n", direct, transport.reads(), records, FULL_RECORD_BYTES);
        assertTrue(transport.reads() <= records / 6, transport.reads() + " reads for " + records + " records");
    }

    private static void receive(final TlsRecordLayer records, final ByteBuffer plaintext, final int first, final int count)
        throws Exception
    {
        final int recordBytes = plaintext.capacity();
        for (int i = first; i < first + count; i++)
        {
            plaintext.clear();
            while (plaintext.hasRemaining())
            {
                if (!records.hasPlaintext() && records.unwrapUntilPlaintext(TlsRecordLayer.NO_TIMEOUT, false, null) != 1)
                {
                    fail("no plaintext for record " + i); // no message built per record: the test thread's allocation is measured
                }
                records.transferPlaintext(plaintext);
            }
            if (plaintext.get(0) != (byte)i || plaintext.get(recordBytes - 1) != (byte)i)
            {
                fail("record " + i + " out of order or torn");
            }
        }
    }

    private static SSLEngine serverEngine() throws Exception
    {
        final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(TestCertificates.get().localhost().keyStore(), TestCertificates.PASSWORD);
        final SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(keys.getKeyManagers(), null, null);
        final SSLEngine server = serverContext.createSSLEngine();
        server.setUseClientMode(false);
        return server;
    }

    private static void handshakeInMemory(final SSLEngine client, final SSLEngine server) throws Exception
    {
        final ByteBuffer toServer = ByteBuffer.allocateDirect(client.getSession().getPacketBufferSize());
        final ByteBuffer toClient = ByteBuffer.allocateDirect(server.getSession().getPacketBufferSize());
        final ByteBuffer clientApp = ByteBuffer.allocateDirect(client.getSession().getApplicationBufferSize());
        final ByteBuffer serverApp = ByteBuffer.allocateDirect(server.getSession().getApplicationBufferSize());
        final ByteBuffer none = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int step = 0; step < 100 && !(isDone(client) && isDone(server)); step++)
        {
            client.wrap(none, toServer);
            server.wrap(none, toClient);
            server.unwrap(toServer.flip(), serverApp.clear());
            toServer.compact();
            client.unwrap(toClient.flip(), clientApp.clear());
            toClient.compact();
            runTasks(client);
            runTasks(server);
        }
        assertTrue(isDone(client) && isDone(server), "in-memory handshake did not complete");
        assertEquals(0, toClient.position(), "handshake bytes left over for the client");
    }

    /** @return the ciphertext of {@code count} records of {@code recordBytes} bytes, record i filled with (byte)i. */
    private static ByteBuffer wrapRecords(final SSLEngine server, final int count, final int recordBytes) throws Exception
    {
        final int packetBytes = server.getSession().getPacketBufferSize();
        // full records: a packet's room each, as the JDK engine asks for before every wrap
        final int perRecord = recordBytes < FULL_RECORD_BYTES ? recordBytes + RECORD_OVERHEAD_BYTES : packetBytes;
        final ByteBuffer stream = ByteBuffer.allocateDirect(count * perRecord + packetBytes);
        final ByteBuffer plaintext = ByteBuffer.allocate(recordBytes);
        for (int i = 0; i < count; i++)
        {
            plaintext.clear();
            while (plaintext.hasRemaining())
            {
                plaintext.put((byte)i);
            }
            plaintext.flip();
            while (plaintext.hasRemaining())
            {
                assertEquals(Status.OK, server.wrap(plaintext, stream).getStatus(), "server wrap of record " + i);
            }
        }
        return stream.flip();
    }

    private static boolean isDone(final SSLEngine engine)
    {
        return engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
    }

    private static void runTasks(final SSLEngine engine)
    {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null)
        {
            task.run();
        }
    }
}
