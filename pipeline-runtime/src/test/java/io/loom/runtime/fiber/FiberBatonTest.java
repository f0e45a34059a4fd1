package io.loom.runtime.fiber;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FiberBatonTest
{
    @Test
    void shouldReturnAtOnceWhenPostedBeforeAwait() throws Exception
    {
        final FiberBaton baton = new FiberBaton();
        baton.post();
        baton.post();
        assertTrue(baton.isPosted());
        baton.await();
        assertTrue(baton.await(0, TimeUnit.SECONDS));
    }

    @Test
    void shouldTimeOutOnPlatformThreadWhenNotPosted() throws Exception
    {
        final FiberBaton baton = new FiberBaton();
        final long startNs = System.nanoTime();
        assertFalse(baton.await(20, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - startNs >= TimeUnit.MILLISECONDS.toNanos(20), "returned before the timeout");
        assertFalse(baton.isPosted());
        baton.post();
        assertTrue(baton.await(0, TimeUnit.MILLISECONDS), "a post after a timeout is kept for the next wait");
    }

    @Test
    void shouldTimeOutInFiberOnReactorClock() throws Exception
    {
        try (FiberScheduler reactor = FiberScheduler.create("baton-timeout").start())
        {
            final FiberBaton baton = reactor.newBaton() instanceof FiberBaton b ? b : null;
            final AtomicReference<Boolean> result = new AtomicReference<>();
            final AtomicLong waitedNs = new AtomicLong();
            final FiberBaton done = new FiberBaton();
            reactor.spawn("waiter", () ->
            {
                final long startNs = System.nanoTime();
                result.set(baton.await(25, TimeUnit.MILLISECONDS));
                waitedNs.set(System.nanoTime() - startNs);
                done.post();
            });
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertEquals(Boolean.FALSE, result.get());
            assertTrue(waitedNs.get() >= TimeUnit.MILLISECONDS.toNanos(25), "woke early: " + waitedNs.get());
            assertEquals(0, reactor.pendingTimers(), "the timeout timer is gone once it fired");
        }
    }

    @Test
    void shouldWakeFiberPostedFromPlatformThreadAndCancelItsTimeout() throws Exception
    {
        try (FiberScheduler reactor = FiberScheduler.create("baton-cross").start())
        {
            final FiberBaton toFiber = new FiberBaton();
            final FiberBaton fiberWaiting = new FiberBaton();
            final FiberBaton done = new FiberBaton();
            final AtomicReference<Boolean> result = new AtomicReference<>();
            reactor.spawn("waiter", () ->
            {
                fiberWaiting.post();
                result.set(toFiber.await(30, TimeUnit.SECONDS));
                done.post();
            });
            assertTrue(fiberWaiting.await(10, TimeUnit.SECONDS));
            toFiber.post();
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertEquals(Boolean.TRUE, result.get());
            Waits.until(() -> reactor.pendingTimers() == 0, 5_000, "the cancelled timeout to be gone");
        }
    }

    @Test
    void shouldBeReusableAfterReset() throws Exception
    {
        try (FiberScheduler reactor = FiberScheduler.create("baton-reuse").start())
        {
            final FiberBaton baton = new FiberBaton();
            final FiberBaton ack = new FiberBaton();
            final AtomicLong rounds = new AtomicLong();
            reactor.spawn("waiter", () ->
            {
                for (int i = 0; i < 100; i++)
                {
                    baton.await();
                    baton.reset();
                    rounds.incrementAndGet();
                    ack.post();
                }
            });
            for (int i = 0; i < 100; i++)
            {
                baton.post();
                assertTrue(ack.await(10, TimeUnit.SECONDS), "round " + i);
                ack.reset();
            }
            assertEquals(100, rounds.get());
        }
    }

    @Test
    void shouldPingPongAMillionTimesBetweenTwoFibers() throws Exception
    {
        final int rounds = 1_000_000;
        try (FiberScheduler reactor = FiberScheduler.create("baton-pingpong").start())
        {
            final FiberBaton ping = new FiberBaton();
            final FiberBaton pong = new FiberBaton();
            final FiberBaton done = new FiberBaton();
            final AtomicLong pings = new AtomicLong();
            final AtomicLong pongs = new AtomicLong();
            reactor.spawn("pinger", () ->
            {
                for (int i = 0; i < rounds; i++)
                {
                    ping.post();
                    pong.await();
                    pong.reset();
                    pongs.lazySet(pongs.get() + 1);
                }
                done.post();
            });
            reactor.spawn("ponger", () ->
            {
                for (int i = 0; i < rounds; i++)
                {
                    ping.await();
                    ping.reset();
                    pings.lazySet(pings.get() + 1);
                    pong.post();
                }
            });
            assertTrue(done.await(60, TimeUnit.SECONDS), "ping-pong did not finish");
            assertEquals(rounds, pings.get());
            assertEquals(rounds, pongs.get());
            // the reactor adds a batch's runs after the batch: wait for the count to catch up
            Waits.until(() -> reactor.counters().fiberRuns() >= 2L * rounds, 5_000, "fiber runs to be counted");
        }
    }

    @Test
    void shouldThrowInterruptedAndStayUnpostedWhenWaiterIsInterrupted() throws Exception
    {
        final FiberBaton baton = new FiberBaton();
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final Thread waiter = new Thread(() ->
        {
            try
            {
                baton.await();
            }
            catch (final Throwable t)
            {
                thrown.set(t);
            }
        });
        waiter.start();
        Waits.until(() -> waiter.getState() == Thread.State.WAITING, 5_000, "the waiter to park");
        waiter.interrupt();
        waiter.join(5_000);
        assertFalse(waiter.isAlive());
        assertInstanceOf(InterruptedException.class, thrown.get());
        assertFalse(baton.isPosted());
    }

    @Test
    void shouldRejectASecondWaiterAndResetWhileWaiting() throws Exception
    {
        final FiberBaton baton = new FiberBaton();
        final AtomicBoolean released = new AtomicBoolean();
        final Thread waiter = new Thread(() ->
        {
            try
            {
                baton.await();
                released.set(true);
            }
            catch (final InterruptedException ignore)
            {
                // not expected
            }
        });
        waiter.start();
        Waits.until(() -> waiter.getState() == Thread.State.WAITING, 5_000, "the waiter to park");
        assertThrows(IllegalStateException.class, () -> baton.await(1, TimeUnit.MILLISECONDS));
        assertThrows(IllegalStateException.class, baton::reset);
        baton.post();
        waiter.join(5_000);
        assertTrue(released.get());
    }
}
