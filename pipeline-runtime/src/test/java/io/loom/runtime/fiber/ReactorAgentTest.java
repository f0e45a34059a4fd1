package io.loom.runtime.fiber;

import org.agrona.concurrent.Agent;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reactor's agent runs on the reactor thread: started before the first pass, its work done every
 * pass (work it reports keeps an idle back-off reactor from blocking), closed after the last; what
 * it throws is reported and counted, and the loop goes on.
 */
class ReactorAgentTest
{
    @Test
    void shouldStartRunAndCloseTheAgentOnTheReactorThread() throws Exception
    {
        final CountingAgent agent = new CountingAgent(0);
        final FiberScheduler reactor = new FiberScheduler(new FiberSchedulerContext().name("agent").agent(agent)).start();
        try
        {
            Waits.until(() -> agent.passes.get() > 10, 10_000, "the agent to run on passes of the idle reactor");
            assertSame(reactor.thread(), agent.startedOn.get(), "onStart ran on the reactor thread");
            assertTrue(agent.wrongThread.get() == 0, "doWork ran on the reactor thread only");
        }
        finally
        {
            reactor.stop();
        }
        assertSame(reactor.thread(), agent.closedOn.get(), "onClose ran on the reactor thread, after its last pass");
    }

    @Test
    void shouldKeepAnIdleBackOffReactorFromBlockingWhileTheAgentReportsWork() throws Exception
    {
        final CountingAgent busy = new CountingAgent(1);
        try (FiberScheduler reactor = new FiberScheduler(new FiberSchedulerContext().name("busy-agent").agent(busy).backOffNs(0, 0)).start())
        {
            Waits.until(() -> busy.passes.get() > 1_000, 10_000, "passes");
            assertEquals(0, reactor.counters().idleBlocks(), "an agent that reports work every pass keeps the reactor from blocking");
        }
        final CountingAgent idle = new CountingAgent(0);
        try (FiberScheduler reactor = new FiberScheduler(new FiberSchedulerContext().name("idle-agent").agent(idle).backOffNs(0, 0)).start())
        {
            Waits.until(() -> reactor.counters().idleBlocks() > 0, 10_000, "the reactor whose agent has no work to block");
        }
    }

    @Test
    void shouldReportAndCountAnAgentThatThrowsAndGoOn() throws Exception
    {
        final RecordingReporter reporter = new RecordingReporter();
        final CountingAgent agent = new CountingAgent(0)
        {
            @Override
            public int doWork()
            {
                super.doWork();
                throw new IllegalStateException("agent bug");
            }
        };
        try (FiberScheduler reactor = new FiberScheduler(new FiberSchedulerContext().name("failing-agent").agent(agent).reporter(reporter)).start())
        {
            Waits.until(() -> reactor.counters().fiberFailures() >= 2, 10_000, "failures to be counted");
            final FiberBaton ran = new FiberBaton();
            reactor.spawn("still-running", ran::post);
            assertTrue(ran.await(10, TimeUnit.SECONDS), "the reactor runs fibers after its agent threw");
        }
        assertTrue(reporter.failedFibers.contains("agent counting"), reporter.failedFibers.toString());
        assertTrue(reporter.failures.stream().anyMatch(failure -> "agent bug".equals(failure.getMessage())), reporter.failures.toString());
    }

    /** Counts passes; reports {@code workPerPass} each. */
    private static class CountingAgent implements Agent
    {
        final AtomicInteger passes = new AtomicInteger();
        final AtomicInteger wrongThread = new AtomicInteger();
        final AtomicReference<Thread> startedOn = new AtomicReference<>();
        final AtomicReference<Thread> closedOn = new AtomicReference<>();
        private final int workPerPass;

        CountingAgent(final int workPerPass)
        {
            this.workPerPass = workPerPass;
        }

        @Override
        public void onStart()
        {
            startedOn.set(Thread.currentThread());
        }

        @Override
        public int doWork()
        {
            if (Thread.currentThread() != startedOn.get())
            {
                wrongThread.incrementAndGet();
            }
            passes.incrementAndGet();
            return workPerPass;
        }

        @Override
        public void onClose()
        {
            closedOn.set(Thread.currentThread());
        }

        @Override
        public String roleName()
        {
            return "counting";
        }
    }
}
