package io.loom.runtime.pipeline;

import com.lmax.disruptor.ExceptionHandler;
import io.loom.api.event.MarketEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Disruptor exception handler of every stage thread, in place of the default
 * {@code FatalExceptionHandler}, which would end the consumer and leave the producer stalled on a
 * full ring. Stages' own exceptions never get here ({@link StageRunner} or, for a stage alone on its
 * thread, {@link StageFailureHandler} handles them per policy); this is the backstop for fatal
 * errors and bugs in the runner itself: it reports (at most once
 * per second), counts, and lets the stage thread's {@link StageLoop} go on with the next event.
 *
 * <p>Thread-safety: called on stage threads, concurrently; counters are atomic.
 */
final class BackstopExceptionHandler implements ExceptionHandler<MarketEvent>
{
    private static final Logger LOG = LoggerFactory.getLogger(BackstopExceptionHandler.class);
    private static final long REPORT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final String pipelineName;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong lastReportNs = new AtomicLong(System.nanoTime() - REPORT_INTERVAL_NS);

    BackstopExceptionHandler(final String pipelineName)
    {
        this.pipelineName = pipelineName;
    }

    @Override
    public void handleEventException(final Throwable ex, final long sequence, final MarketEvent event)
    {
        final long count = failures.incrementAndGet();
        final long nowNs = System.nanoTime();
        final long lastNs = lastReportNs.get();
        if (nowNs - lastNs >= REPORT_INTERVAL_NS && lastReportNs.compareAndSet(lastNs, nowNs))
        {
            LOG.error("pipeline '{}': {} escaped a stage thread at sequence {} ({} so far); the thread goes on with the next event",
                pipelineName, ex, sequence, count, ex);
        }
    }

    @Override
    public void handleOnStartException(final Throwable ex)
    {
        failures.incrementAndGet();
        LOG.error("pipeline '{}': a stage thread failed to start", pipelineName, ex);
    }

    @Override
    public void handleOnShutdownException(final Throwable ex)
    {
        failures.incrementAndGet();
        LOG.error("pipeline '{}': a stage thread failed to shut down", pipelineName, ex);
    }
}
