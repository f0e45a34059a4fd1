package io.loom.bench.pipeline;

import io.loom.runtime.fiber.FiberBaton;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * Counts the events the last consumer handled and lets the benchmark thread wait, parked, until
 * the count reaches a target. Per event the consumer pays an ordered store and one volatile load,
 * the same for every mechanism.
 *
 * <p>Thread-safety: one counting thread, one waiting thread.
 */
final class ConsumedCounter
{
    private static final VarHandle CONSUMED;

    static
    {
        try
        {
            CONSUMED = MethodHandles.lookup().findVarHandle(ConsumedCounter.class, "consumed", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final FiberBaton reached = new FiberBaton();
    private long consumed;
    private volatile long target = Long.MAX_VALUE;

    /** Called by the last consumer for every event. */
    void onEvent()
    {
        final long count = consumed + 1;
        CONSUMED.setRelease(this, count);
        if (count >= target)
        {
            reached.post();
        }
    }

    /** @return events consumed so far. */
    long consumed()
    {
        return (long)CONSUMED.getAcquire(this);
    }

    /**
     * Waits until at least {@code count} events were consumed.
     *
     * @param count the target.
     * @throws InterruptedException  if interrupted.
     * @throws IllegalStateException if the consumer stalls for 30 s.
     */
    void awaitAtLeast(final long count) throws InterruptedException
    {
        while (consumed() < count)
        {
            reached.reset();
            target = count;
            if (consumed() >= count)
            {
                break;
            }
            if (!reached.await(30, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("consumer stalled at " + consumed() + " events, waiting for " + count);
            }
        }
        target = Long.MAX_VALUE;
    }
}
