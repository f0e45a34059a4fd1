package io.loom.runtime.fiber;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reactor's slice hook runs on the reactor thread, outside any fiber, right after each fiber run
 * slice: when the fiber parks and when it ends, before any other fiber runs; what it throws is
 * reported and counted, and the loop goes on.
 */
class ReactorSliceHookTest
{
    @Test
    void shouldRunTheHookOnTheReactorThreadAfterEachSliceBeforeTheNextFiberRuns() throws Exception
    {
        final List<String> steps = new ArrayList<>(); // written on the reactor thread only: fibers and the hook take turns on it
        final Thread[] hookThread = new Thread[1];
        final Thread[] reactorThread = new Thread[1];
        final FiberSchedulerContext context = new FiberSchedulerContext().name("slice-hook");
        context.sliceHook(() ->
        {
            hookThread[0] = Thread.currentThread();
            steps.add("hook");
        });
        final FiberBaton done = new FiberBaton();
        try (FiberScheduler reactor = new FiberScheduler(context).start())
        {
            final FiberBaton resume = new FiberBaton();
            reactor.spawn("parks-once", () ->
            {
                steps.add("parks-once: before park");
                resume.await(); // ends the first slice
                steps.add("parks-once: resumed");
                done.post();
                // ends the second slice: the fiber ends
            });
            reactor.spawn("wakes-it", () ->
            {
                steps.add("wakes-it");
                resume.post();
                // ends: its slice ends
            });
            assertTrue(done.await(10, TimeUnit.SECONDS), "the fibers ran");
            reactorThread[0] = reactor.thread();
        }
        // read after the reactor thread ended (joined by close)
        assertTrue(!hookThread[0].isVirtual() && hookThread[0] == reactorThread[0],
            "the hook ran on the reactor thread, outside any fiber: " + hookThread[0]);
        final List<String> fiberSteps = List.of("parks-once: before park", "hook", "wakes-it", "hook", "parks-once: resumed", "hook");
        assertEquals(fiberSteps, steps.subList(0, fiberSteps.size()), "a hook call between every two slices, and after a fiber ends");
    }

    @Test
    void shouldReportAndCountAHookThatThrowsAndGoOn() throws Exception
    {
        final RecordingReporter reporter = new RecordingReporter();
        final FiberSchedulerContext context = new FiberSchedulerContext().name("failing-hook").reporter(reporter)
            .sliceHook(() ->
            {
                throw new IllegalStateException("hook bug");
            });
        try (FiberScheduler reactor = new FiberScheduler(context).start())
        {
            final FiberBaton first = new FiberBaton();
            reactor.spawn("first", first::post);
            assertTrue(first.await(10, TimeUnit.SECONDS));
            final FiberBaton second = new FiberBaton();
            reactor.spawn("second", second::post);
            assertTrue(second.await(10, TimeUnit.SECONDS), "the reactor runs fibers after its hook threw");
            Waits.until(() -> reactor.counters().fiberFailures() >= 2, 10_000, "each throw to be counted");
        }
        assertTrue(reporter.failedFibers.contains("slice hook of reactor failing-hook"), reporter.failedFibers.toString());
        assertTrue(reporter.failures.stream().anyMatch(failure -> "hook bug".equals(failure.getMessage())), reporter.failures.toString());
    }
}
