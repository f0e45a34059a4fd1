package io.loom.runtime.fiber;

import org.junit.jupiter.api.Test;

import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An idle back-off reactor blocks where its work can come from: parked when its fibers only wait on
 * batons (every wake-up is an unpark), in the selector once a channel is registered.
 */
class ReactorIdleBlockingTest
{
    @Test
    void shouldParkInsteadOfSelectingWhenNoChannelIsRegisteredAndStillWakeForWork() throws Exception
    {
        try (FiberScheduler reactor = FiberScheduler.create("parking").start())
        {
            awaitBlockedIn(reactor, frames -> has(frames, "parkNanos") && !has(frames, "Selector"), "parked, not selecting");
            final FiberBaton ran = new FiberBaton();
            reactor.spawn("late", ran::post);
            assertTrue(ran.await(10, TimeUnit.SECONDS), "a spawn from another thread woke the parked reactor");
        }
    }

    @Test
    void shouldBlockInTheSelectorWhileAChannelIsRegistered() throws Exception
    {
        final Pipe pipe = Pipe.open();
        try (FiberScheduler reactor = FiberScheduler.create("selecting").start())
        {
            pipe.source().configureBlocking(false);
            final FiberBaton registered = new FiberBaton();
            reactor.spawn("register", () ->
            {
                reactor.register(pipe.source(), SelectionKey.OP_READ, key -> { });
                registered.post();
            });
            assertTrue(registered.await(10, TimeUnit.SECONDS));
            awaitBlockedIn(reactor, frames -> has(frames, "Selector"), "selecting");
        }
        finally
        {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    private static void awaitBlockedIn(final FiberScheduler reactor, final Predicate<StackTraceElement[]> where, final String what)
        throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        StackTraceElement[] frames = new StackTraceElement[0];
        while (System.nanoTime() - deadlineNs < 0)
        {
            frames = reactor.thread().getStackTrace();
            if (where.test(frames))
            {
                return;
            }
            Thread.sleep(1);
        }
        fail("the idle reactor was never seen " + what + "; last stack: " + Arrays.toString(frames));
    }

    private static boolean has(final StackTraceElement[] frames, final String fragment)
    {
        for (final StackTraceElement frame : frames)
        {
            if ((frame.getClassName() + '.' + frame.getMethodName()).contains(fragment))
            {
                return true;
            }
        }
        return false;
    }
}
