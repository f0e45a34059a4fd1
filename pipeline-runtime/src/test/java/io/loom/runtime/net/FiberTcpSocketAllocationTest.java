package io.loom.runtime.net;

import io.loom.runtime.fiber.FiberBaton;
import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.fiber.FiberSchedulerContext;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Steady-state allocation of {@link FiberTcpSocket} on its reactor thread, which carries the fibers
 * and runs the selector callbacks, so its allocation counter covers the whole socket path.
 *
 * <pre>
 *   fiber: warm-up round trips ─▶ park ─┐ (test thread reads the counter, posts "go")
 *          measured round trips ─▶ park ┘ (test thread reads the counter again)
 * </pre>
 *
 * <p>Slack: fewer than one byte per round trip in total, i.e. effectively zero; anything
 * allocated per round trip would be at least 16 bytes each. Slow-slice reporting is off for this
 * reactor: on a shared machine a preempted slice would be logged, and logging allocates.
 */
class FiberTcpSocketAllocationTest
{
    private static final int WARM_UP_ROUND_TRIPS = 20_000;
    private static final int MEASURED_ROUND_TRIPS = 20_000;
    private static final int MESSAGE_BYTES = 64;

    private static final long READ_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    @Test
    void shouldAllocateNothingOnReactorThreadForEchoRoundTripsAfterWarmUp() throws Exception
    {
        assertAllocationFree(false, TcpOptions.DEFAULTS);
    }

    @Test
    void shouldAllocateNothingOnReactorThreadForTimedReadRoundTripsAfterWarmUp() throws Exception
    {
        assertAllocationFree(true, TcpOptions.DEFAULTS);
    }

    @Test
    void shouldAllocateNothingOnReactorThreadRearmingDelayedAcksAfterEveryRead() throws Exception
    {
        assertAllocationFree(false, TcpOptions.withDelayedAcks(0));
    }

    /**
     * @param timedRead whether the client reads with {@link FiberTcpSocket#read(ByteBuffer, long)}.
     * @param options   the connection's TCP settings.
     */
    private static void assertAllocationFree(final boolean timedRead, final TcpOptions options) throws Exception
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final FiberBaton warmedUp = new FiberBaton();
        final FiberBaton go = new FiberBaton();
        final FiberBaton measured = new FiberBaton();
        final FiberBaton release = new FiberBaton();
        final FiberBaton ended = new FiberBaton();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final FiberSchedulerContext context = new FiberSchedulerContext().name("allocation-reactor").slowSliceThresholdNs(0);
        try (LoopbackPeer peer = LoopbackPeer.start("echo", LoopbackPeer.ECHO);
             FiberScheduler reactor = new FiberScheduler(context).start())
        {
            reactor.spawn("echo-client", () ->
            {
                try (FiberTcpSocket socket = FiberTcpSocket.connect(reactor, peer.address(), FiberTcpSocketTest.CONNECT_TIMEOUT_NS, options))
                {
                    final ByteBuffer out = ByteBuffer.allocateDirect(MESSAGE_BYTES);
                    final ByteBuffer in = ByteBuffer.allocateDirect(MESSAGE_BYTES);
                    roundTrips(socket, out, in, WARM_UP_ROUND_TRIPS, timedRead);
                    warmedUp.post();
                    go.await();
                    roundTrips(socket, out, in, MEASURED_ROUND_TRIPS, timedRead);
                    measured.post();
                    release.await();
                }
                catch (final Throwable ex)
                {
                    failure.set(ex);
                    warmedUp.post();
                    measured.post();
                }
                finally
                {
                    ended.post();
                }
            });
            final long reactorThreadId = reactor.thread().threadId();
            assertTrue(warmedUp.await(60, TimeUnit.SECONDS), "warm-up did not finish");
            final long beforeBytes = threads.getThreadAllocatedBytes(reactorThreadId);
            go.post();
            assertTrue(measured.await(60, TimeUnit.SECONDS), "measured round trips did not finish");
            final long allocatedBytes = threads.getThreadAllocatedBytes(reactorThreadId) - beforeBytes;
            release.post();
            assertTrue(ended.await(10, TimeUnit.SECONDS), "client fiber did not end");

            assertNull(failure.get());
            assertTrue(allocatedBytes < MEASURED_ROUND_TRIPS,
                (timedRead ? "timed reads, " : "untimed reads, ") + options + ": reactor thread allocated " + allocatedBytes + " bytes over " + MEASURED_ROUND_TRIPS + " round trips");
        }
    }

    private static void roundTrips(final FiberTcpSocket socket, final ByteBuffer out, final ByteBuffer in, final int count, final boolean timedRead)
        throws Exception
    {
        for (int round = 0; round < count; round++)
        {
            out.clear();
            out.putLong(0, round);
            socket.writeFully(out);
            in.clear();
            while (in.hasRemaining())
            {
                final int bytesRead = timedRead ? socket.read(in, READ_TIMEOUT_NS) : socket.read(in);
                if (bytesRead < 0)
                {
                    throw new IllegalStateException("round trip " + round + " ended with read result " + bytesRead);
                }
            }
            if (in.getLong(0) != round)
            {
                throw new IllegalStateException("round trip " + round + " echoed " + in.getLong(0));
            }
        }
    }
}
