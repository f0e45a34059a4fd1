package io.loom.runtime.net;

import io.loom.runtime.BoundedWait;
import io.loom.runtime.fiber.FiberBaton;
import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.fiber.FiberSchedulerContext;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reactor with {@code stampSocketReads} on knows when its fibers' last socket read returned bytes
 * (the "bytes read" point of a latency breakdown), and for a read that waited, when the selector
 * found the socket readable and when the read system call began; with it off (the default) it reads
 * no clock and reports 0.
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

    @Test
    void shouldStampWhenTheSelectorFoundTheSocketReadableOnlyForAReadThatWaited() throws Exception
    {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final CountDownLatch send = new CountDownLatch(1);
        final AtomicLong sentAt = new AtomicLong();
        final FiberBaton secondSent = new FiberBaton();
        final long[] waited = new long[4];
        final long[] immediate = new long[3];
        final FiberBaton done = new FiberBaton();
        final AtomicBoolean reading = new AtomicBoolean();
        final LoopbackPeer.Session sendTwice = socket ->
        {
            final OutputStream out = socket.getOutputStream();
            final InputStream in = socket.getInputStream();
            if (!send.await(30, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("never told to send");
            }
            sentAt.set(System.nanoTime());
            out.write(new byte[MESSAGE_BYTES]);
            out.flush();
            if (in.read() < 0) // the client read the first message: the second arrives before it reads again
            {
                throw new IllegalStateException("the client left");
            }
            out.write(new byte[MESSAGE_BYTES]);
            out.flush();
            secondSent.post(); // loopback: written means in the client's receive queue
            in.read(); // until the client closes
        };
        try (LoopbackPeer peer = LoopbackPeer.start("send-twice", sendTwice);
             FiberScheduler reactor = new FiberScheduler(new FiberSchedulerContext().name("ready-stamps").stampSocketReads(true)).start())
        {
            final Thread client = reactor.spawn("client", () ->
            {
                try (FiberTcpSocket socket = FiberTcpSocket.connect(reactor, peer.address(), FiberTcpSocketTest.CONNECT_TIMEOUT_NS))
                {
                    final ByteBuffer bytes = ByteBuffer.allocateDirect(2 * MESSAGE_BYTES);
                    reading.set(true);
                    assertTrue(socket.read(bytes) > 0); // parks: the peer sends only once the test sees this fiber wait
                    waited[0] = System.nanoTime();
                    waited[1] = reactor.socketReads().readyNs();
                    waited[2] = reactor.socketReads().callNs();
                    waited[3] = reactor.socketReads().readNs();
                    socket.writeFully(ByteBuffer.allocateDirect(1));
                    secondSent.await();
                    bytes.clear();
                    assertTrue(socket.read(bytes) > 0); // the bytes are there: no wait
                    immediate[0] = reactor.socketReads().readyNs();
                    immediate[1] = reactor.socketReads().callNs();
                    immediate[2] = reactor.socketReads().readNs();
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
            BoundedWait.until(() -> reading.get() && client.getState() == Thread.State.WAITING, 30_000, "the client to wait for its first bytes");
            send.countDown();
            assertTrue(done.await(30, TimeUnit.SECONDS), "the client did not finish");
        }
        assertNull(failure.get());
        assertTrue(sentAt.get() <= waited[1] && waited[1] <= waited[2] && waited[2] <= waited[3] && waited[3] <= waited[0],
            "sent " + sentAt.get() + " <= readable " + waited[1] + " <= read call " + waited[2] + " <= read returned " + waited[3] +
                " <= after the read " + waited[0]);
        assertEquals(0, immediate[0], "a read that found its bytes waiting has no readable stamp");
        assertTrue(waited[3] <= immediate[1] && immediate[1] <= immediate[2],
            "the second read's call " + immediate[1] + " and return " + immediate[2] + " come after the first's " + waited[3]);
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
                    before.set(reactor.socketReads().readNs());
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
                    stamp.set(reactor.socketReads().readNs());
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
