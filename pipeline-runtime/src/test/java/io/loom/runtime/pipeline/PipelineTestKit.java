package io.loom.runtime.pipeline;

import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineBuilder;
import io.loom.runtime.BoundedWait;
import io.loom.runtime.affinity.CorePinner;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shared test helpers: building with a quiet reactor, bounded waits (1 ms sleeps, never spins), thread checks. */
final class PipelineTestKit
{
    static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private PipelineTestKit()
    {
    }

    /**
     * Builds with the runtime engine and a reactor whose slow-slice reports are off (a preempted
     * slice on a busy 2-core box would be logged, and logging allocates).
     */
    static DisruptorPipeline build(final PipelineBuilder builder)
    {
        return (DisruptorPipeline)new DisruptorPipelineEngine(reactor -> reactor.slowSliceThresholdNs(0)).create(builder.validate());
    }

    /** As {@link #build(PipelineBuilder)}, with reactor and stage threads pinned by {@code pinner}. */
    static DisruptorPipeline build(final PipelineBuilder builder, final CorePinner pinner)
    {
        return (DisruptorPipeline)new DisruptorPipelineEngine(reactor -> reactor.slowSliceThresholdNs(0), pinner)
            .create(builder.validate());
    }

    static void until(final BooleanSupplier condition, final long timeoutMs, final String what)
    {
        BoundedWait.until(condition, timeoutMs, what);
    }

    /** @return names of live platform threads whose name starts with {@code prefix}. */
    static List<String> liveThreads(final String prefix)
    {
        final List<String> names = new ArrayList<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.isAlive() && thread.getName().startsWith(prefix))
            {
                names.add(thread.getName());
            }
        }
        return names;
    }

    /** Closes the pipeline and asserts that none of its threads (stage threads, reactor) is left. */
    static void closeAndAssertNoThreads(final Pipeline pipeline)
    {
        pipeline.close();
        assertEquals(List.of(), liveThreads(pipeline.name() + '-'), "threads left behind by pipeline " + pipeline.name());
    }

    static Thread threadNamed(final String name)
    {
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().equals(name))
            {
                return thread;
            }
        }
        throw new AssertionError("no thread named " + name);
    }
}
