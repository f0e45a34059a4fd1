package io.loom.runtime.net;

import io.loom.runtime.fiber.FiberBaton;
import io.loom.runtime.fiber.FiberScheduler;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many {@link FiberTcpSocket}s and other fibers sharing one reactor thread. */
class FiberTcpSocketConcurrencyTest
{
    private static final int SOCKETS = 100;
    private static final int ROUND_TRIPS = 50;
    private static final int MESSAGE_BYTES = 32;

    @Test
    void shouldServeHundredSocketsConcurrentlyOnOneReactor() throws Exception
    {
        final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final AtomicInteger finished = new AtomicInteger();
        final AtomicInteger maxConcurrentlyOpen = new AtomicInteger();
        final AtomicInteger open = new AtomicInteger();
        final FiberBaton allFinished = new FiberBaton();
        try (LoopbackPeer peer = LoopbackPeer.start("echo", LoopbackPeer.ECHO);
             FiberScheduler reactor = FiberScheduler.create("many-sockets-reactor").start())
        {
            for (int s = 0; s < SOCKETS; s++)
            {
                final int id = s;
                reactor.spawn("client-" + id, () ->
                {
                    try (FiberTcpSocket socket = FiberTcpSocket.connect(reactor, peer.address(), FiberTcpSocketTest.CONNECT_TIMEOUT_NS))
                    {
                        maxConcurrentlyOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                        echoRoundTrips(socket, id);
                    }
                    catch (final Throwable ex)
                    {
                        failures.add(ex);
                    }
                    finally
                    {
                        open.decrementAndGet();
                        if (finished.incrementAndGet() == SOCKETS)
                        {
                            allFinished.post();
                        }
                    }
                });
            }
            assertTrue(allFinished.await(60, TimeUnit.SECONDS), "only " + finished.get() + " of " + SOCKETS + " clients finished");
            assertEquals(0, failures.size(), () -> "client failures: " + failures);
            assertNull(peer.failure());
            assertTrue(maxConcurrentlyOpen.get() > 1, "sockets were never open at the same time");
        }
    }

    @Test
    void shouldKeepRunningOtherFibersWhileOneWaitsOnSocket() throws Exception
    {
        final CountDownLatch send = new CountDownLatch(1);
        final LoopbackPeer.Session sendOnSignal = socket ->
        {
            if (send.await(20, TimeUnit.SECONDS))
            {
                socket.getOutputStream().write(1);
            }
            FiberTcpSocketTest.drain(socket.getInputStream());
        };
        try (LoopbackPeer peer = LoopbackPeer.start("late-sender", sendOnSignal);
             FiberScheduler reactor = FiberScheduler.create("shared-reactor").start())
        {
            final FiberBaton readerConnected = new FiberBaton();
            final FiberBaton readerDone = new FiberBaton();
            final AtomicBoolean readReturned = new AtomicBoolean();
            final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
            reactor.spawn("reader", () ->
            {
                try (FiberTcpSocket socket = FiberTcpSocket.connect(reactor, peer.address(), FiberTcpSocketTest.CONNECT_TIMEOUT_NS))
                {
                    readerConnected.post();
                    assertEquals(1, socket.read(ByteBuffer.allocateDirect(16)));
                    readReturned.set(true);
                }
                catch (final Throwable ex)
                {
                    failures.add(ex);
                }
                finally
                {
                    readerDone.post();
                }
            });
            assertTrue(readerConnected.await(10, TimeUnit.SECONDS), "reader did not connect");

            final int ticks = 20;
            final AtomicInteger ticked = new AtomicInteger();
            final FiberBaton tickerDone = new FiberBaton();
            reactor.spawn("ticker", () ->
            {
                for (int i = 0; i < ticks; i++)
                {
                    reactor.sleepNs(TimeUnit.MILLISECONDS.toNanos(1));
                    ticked.incrementAndGet();
                }
                tickerDone.post();
            });
            assertTrue(tickerDone.await(10, TimeUnit.SECONDS), "ticker starved: " + ticked.get() + " of " + ticks + " ticks");
            assertFalse(readReturned.get(), "the reader must still be waiting for its byte");

            send.countDown();
            assertTrue(readerDone.await(10, TimeUnit.SECONDS), "reader did not wake on data");
            assertTrue(readReturned.get(), () -> "reader failed: " + failures);
        }
    }

    private static void echoRoundTrips(final FiberTcpSocket socket, final int id) throws Exception
    {
        final ByteBuffer out = ByteBuffer.allocateDirect(MESSAGE_BYTES);
        final ByteBuffer in = ByteBuffer.allocateDirect(MESSAGE_BYTES);
        for (int round = 0; round < ROUND_TRIPS; round++)
        {
            out.clear();
            while (out.hasRemaining())
            {
                out.putInt(id * 1_000_003 + round);
            }
            socket.writeFully(out.flip());
            FiberTcpSocketTest.readExactly(socket, in, MESSAGE_BYTES);
            for (int i = 0; i < MESSAGE_BYTES; i += Integer.BYTES)
            {
                if (in.getInt(i) != id * 1_000_003 + round)
                {
                    throw new AssertionError("client " + id + " round " + round + " got another client's bytes");
                }
            }
        }
    }
}
