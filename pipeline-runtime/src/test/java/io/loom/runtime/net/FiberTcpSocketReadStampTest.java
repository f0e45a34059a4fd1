package io.loom.runtime.net;

import io.loom.runtime.fiber.FiberBaton;
import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.fiber.FiberSchedulerContext;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reactor with {@code stampSocketReads} on knows when its fibers' last socket read returned bytes
 * (the "bytes read" point of a latency breakdown); with it off (the default) it reads no clock and
 * reports 0.
 */
class FiberTcpSocketReadStampTest
{
    private static final int MESSAGE_BYTES = 64;

    @Test
    void shouldStampTheTimeAReadReturnedBytesWhenStampsAreOn() throws Exception
    {
        final long[] times = echoOnce(true);
        assertEquals(0, times[0], "no read yet");
        assertTrue(times[1] <= times[2] && times[2] <= times[3],
            "the stamp " + times[2] + " falls between the write " + times[1] + " and the read's return " + times[3]);
    }

    @Test
    void shouldReadNoClockWhenStampsAreOff() throws Exception
    {
        final long[] times = echoOnce(false);
        assertEquals(0, times[0]);
        assertEquals(0, times[2], "no stamp after a read with stamps off");
    }

    /** @return the stamp before any read, the time before the write, the stamp after the echo was read, the time after. */
    private static long[] echoOnce(final boolean stamps) throws Exception
    {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLong before = new AtomicLong(-1);
        final AtomicLong writtenAt = new AtomicLong();
        final AtomicLong stamp = new AtomicLong(-1);
        final AtomicLong readAt = new AtomicLong();
        final FiberBaton done = new FiberBaton();
        try (LoopbackPeer peer = LoopbackPeer.start("echo", LoopbackPeer.ECHO);
             FiberScheduler reactor = new FiberScheduler(new FiberSchedulerContext().name("stamps-" + stamps).stampSocketReads(stamps)).start())
        {
            reactor.spawn("client", () ->
            {
                try (FiberTcpSocket socket = FiberTcpSocket.connect(reactor, peer.address(), FiberTcpSocketTest.CONNECT_TIMEOUT_NS))
                {
                    before.set(reactor.lastSocketReadNs());
                    final ByteBuffer bytes = ByteBuffer.allocateDirect(MESSAGE_BYTES);
                    writtenAt.set(System.nanoTime());
                    socket.writeFully(bytes);
                    bytes.clear();
                    while (bytes.hasRemaining())
                    {
                        if (socket.read(bytes) < 0)
                        {
                            throw new IllegalStateException("the echo peer closed");
                        }
                    }
                    readAt.set(System.nanoTime());
                    stamp.set(reactor.lastSocketReadNs());
                }
                catch (final Throwable ex)
                {
                    failure.set(ex);
                }
                finally
                {
                    done.post();
                }
            });
            assertTrue(done.await(30, TimeUnit.SECONDS), "the echo did not finish");
        }
        assertNull(failure.get());
        return new long[] {before.get(), writtenAt.get(), stamp.get(), readAt.get()};
    }
}
