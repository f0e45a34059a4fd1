package io.loom.runtime.net.tls;

import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.net.FiberCall;
import io.loom.runtime.net.TestCertificates;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;

import static io.loom.runtime.net.tls.TlsClients.connect;
import static io.loom.runtime.net.tls.TlsClients.pattern;
import static io.loom.runtime.net.tls.TlsClients.roundTrip;
import static io.loom.runtime.net.tls.TlsClients.trustingTestCa;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bulk transfer and many connections over {@link TlsTransport}. */
class TlsTransferTest
{
    private static final int TRANSFER_BYTES = 8 << 20;
    private static final int CHUNK_BYTES = 64 << 10;

    /**
     * One fiber writes 8 MiB in 64 KiB chunks to the echo server and, between chunks, reads what
     * has come back (timed reads of zero: never waits), then reads the rest: 8 MiB each way.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsEngineProvider.class)
    void shouldTransferEightMebibytesBothWaysIntact(final TlsEngineProvider engine) throws Exception
    {
        final byte[] data = new byte[TRANSFER_BYTES];
        new Random(42).nextBytes(data);
        final CRC32 sentCrc = new CRC32();
        sentCrc.update(data);
        try (NettyTlsServer server = NettyTlsServer.start(TestCertificates.get().localhost());
             FiberScheduler reactor = FiberScheduler.create("transfer-reactor").start())
        {
            final long receivedCrc = FiberCall.call(reactor, () ->
            {
                try (TlsTransport tls = connect(reactor, server.address(), "localhost", trustingTestCa(engine)))
                {
                    final ByteBuffer out = ByteBuffer.allocateDirect(CHUNK_BYTES);
                    final ByteBuffer in = ByteBuffer.allocateDirect(CHUNK_BYTES);
                    final CRC32 crc = new CRC32();
                    long received = 0;
                    for (int offset = 0; offset < TRANSFER_BYTES; offset += CHUNK_BYTES)
                    {
                        out.clear().put(data, offset, CHUNK_BYTES).flip();
                        tls.writeFully(out);
                        int bytesRead;
                        while ((bytesRead = tls.read(in.clear(), 0)) > 0)
                        {
                            crc.update(in.flip());
                            received += bytesRead;
                        }
                    }
                    while (received < TRANSFER_BYTES)
                    {
                        final int bytesRead = tls.read(in.clear(), TimeUnit.SECONDS.toNanos(20));
                        assertTrue(bytesRead > 0, "echo stalled after " + received + " bytes: " + bytesRead);
                        crc.update(in.flip());
                        received += bytesRead;
                    }
                    assertEquals(TRANSFER_BYTES, received);
                    return crc.getValue();
                }
            });
            assertEquals(sentCrc.getValue(), receivedCrc, "CRC32 of the 8 MiB echoed back");
            assertNull(server.failure());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TlsEngineProvider.class)
    void shouldServeFiftyTlsConnectionsOnOneReactor(final TlsEngineProvider engine) throws Exception
    {
        final int connections = 50;
        final int roundTrips = 20;
        final CountDownLatch done = new CountDownLatch(connections);
        final AtomicInteger succeeded = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        try (NettyTlsServer server = NettyTlsServer.start(TestCertificates.get().localhost());
             FiberScheduler reactor = FiberScheduler.create("fifty-reactor").start())
        {
            final TlsContext context = trustingTestCa(engine).conclude(); // one SSL context shared by all
            final List<Thread> fibers = new ArrayList<>();
            for (int i = 0; i < connections; i++)
            {
                final int connection = i;
                fibers.add(reactor.spawn("tls-client-" + i, () ->
                {
                    try (TlsTransport tls = connect(reactor, server.address(), "localhost", context))
                    {
                        final ByteBuffer out = ByteBuffer.allocateDirect(512);
                        final ByteBuffer in = ByteBuffer.allocateDirect(512);
                        for (int round = 0; round < roundTrips; round++)
                        {
                            final byte[] message = pattern(100 + connection, round);
                            assertArrayEquals(message, roundTrip(tls, out, in, message));
                            reactor.sleepNs(TimeUnit.MILLISECONDS.toNanos(1)); // interleave the connections
                        }
                        succeeded.incrementAndGet();
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                    finally
                    {
                        done.countDown();
                    }
                }));
            }
            assertTrue(done.await(60, TimeUnit.SECONDS), "connections did not finish: " + done.getCount() + " left");
            assertNull(failure.get());
            assertEquals(connections, succeeded.get());
            assertEquals(connections, server.handshakes());
            assertEquals(fibers.size(), connections);
        }
    }
}
