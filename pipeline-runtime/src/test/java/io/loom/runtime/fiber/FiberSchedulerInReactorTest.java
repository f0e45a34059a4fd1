package io.loom.runtime.fiber;

import io.loom.api.fiber.Baton;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FiberSchedulerInReactorTest
{
    private static final long TIMEOUT_S = 5;

    private final List<FiberScheduler> reactors = new ArrayList<>();

    @AfterEach
    void stopReactors()
    {
        for (final FiberScheduler reactor : reactors)
        {
            reactor.stop();
            assertEquals(0, reactor.counters().fiberFailures(), reactor.counters().toString());
        }
    }

    @Test
    void shouldBeInReactorOnlyOnItsOwnThreadAndFibers() throws Exception
    {
        final FiberScheduler a = start("a", TimeUnit.MILLISECONDS.toNanos(1));
        final FiberScheduler b = start("b", TimeUnit.MILLISECONDS.toNanos(1));
        final CompletableFuture<String> seen = new CompletableFuture<>();

        a.spawn("probe", () ->
        {
            final CompletableFuture<Boolean> inTimer = new CompletableFuture<>();
            a.scheduleTimer(a.clock().nanoTime(), (timerId, nowNs) -> inTimer.complete(a.inReactor()));
            final Baton baton = a.newBaton();
            a.scheduleTimer(a.clock().nanoTime(), (timerId, nowNs) -> baton.post());
            baton.await(TIMEOUT_S, TimeUnit.SECONDS);
            seen.complete("fiber a=" + a.inReactor() + " b=" + b.inReactor() + " timer a=" + inTimer.getNow(null));
        });

        assertEquals("fiber a=true b=false timer a=true", seen.get(TIMEOUT_S, TimeUnit.SECONDS));
        assertFalse(a.inReactor(), "a platform thread is not on the reactor");
        final CompletableFuture<Boolean> fromDefaultVirtualThread = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> fromDefaultVirtualThread.complete(a.inReactor()));
        assertFalse(fromDefaultVirtualThread.get(TIMEOUT_S, TimeUnit.SECONDS), "a default virtual thread is not on the reactor");
    }

    @Test
    void shouldWakeAFiberPostedFromItsReactorAnotherReactorAndAPlatformThread() throws Exception
    {
        final FiberScheduler a = start("a", TimeUnit.MILLISECONDS.toNanos(1));
        final FiberScheduler b = start("b", TimeUnit.MILLISECONDS.toNanos(1));
        final Baton fromSameReactor = a.newBaton();
        final Baton fromOtherReactor = a.newBaton();
        final Baton fromPlatformThread = a.newBaton();
        final Baton waiting = a.newBaton();
        final CompletableFuture<String> woken = new CompletableFuture<>();

        a.spawn("waiter", () ->
        {
            waiting.post();
            final boolean same = fromSameReactor.await(TIMEOUT_S, TimeUnit.SECONDS);
            final boolean other = fromOtherReactor.await(TIMEOUT_S, TimeUnit.SECONDS);
            final boolean platform = fromPlatformThread.await(TIMEOUT_S, TimeUnit.SECONDS);
            woken.complete(same + " " + other + " " + platform);
        });
        assertTrue(waiting.await(TIMEOUT_S, TimeUnit.SECONDS));
        a.spawn("same-reactor poster", fromSameReactor::post);
        b.spawn("other-reactor poster", fromOtherReactor::post);
        fromPlatformThread.post();

        assertEquals("true true true", woken.get(TIMEOUT_S, TimeUnit.SECONDS));
    }

    @Test
    void shouldReportASlowSliceOnlyWhileTheCheckIsOn() throws Exception
    {
        final FiberScheduler checked = start("checked", TimeUnit.MILLISECONDS.toNanos(1));
        final FiberScheduler unchecked = start("unchecked", 0);

        for (final FiberScheduler reactor : List.of(checked, unchecked))
        {
            final Baton done = reactor.newBaton();
            reactor.spawn("hog", () ->
            {
                final long untilNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
                while (System.nanoTime() - untilNs < 0)
                {
                    Thread.onSpinWait();
                }
                done.post();
            });
            assertTrue(done.await(TIMEOUT_S, TimeUnit.SECONDS));
        }

        assertTrue(checked.counters().slowSlices() >= 1, checked.counters().toString());
        assertEquals(0, unchecked.counters().slowSlices(), unchecked.counters().toString());
    }

    private FiberScheduler start(final String name, final long slowSliceThresholdNs)
    {
        final FiberScheduler reactor = new FiberScheduler(new FiberSchedulerContext()
            .name(name)
            .idle(ReactorIdle.BACK_OFF)
            .slowSliceThresholdNs(slowSliceThresholdNs)
            .reporter(new FiberReporter()
            {
                @Override
                public void onSlowSlice(final String fiberName, final long sliceNs)
                {
                    // counted by the reactor
                }

                @Override
                public void onFiberFailure(final String fiberName, final Throwable error)
                {
                    // counted by the reactor, asserted after each test
                }
            }));
        reactors.add(reactor);
        return reactor.start();
    }
}
