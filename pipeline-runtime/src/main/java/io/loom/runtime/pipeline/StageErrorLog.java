package io.loom.runtime.pipeline;

import io.loom.api.event.MarketEvent;
import io.loom.api.stage.StageErrorPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Reports a stage's failures through slf4j at most once per second, with the number of failures
 * suppressed since the last report, so a stage that fails on every event cannot flood the log or
 * slow its thread down with logging. Every failure is still counted by the stage's counters.
 *
 * <p>Not thread-safe: one per stage, used on the stage's thread.
 */
final class StageErrorLog
{
    private static final Logger LOG = LoggerFactory.getLogger(StageErrorLog.class);
    private static final long REPORT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final String pipelineName;
    private final String stageName;
    private final StageErrorPolicy policy;
    private long lastReportNs = System.nanoTime() - REPORT_INTERVAL_NS;
    private long suppressed;

    StageErrorLog(final String pipelineName, final String stageName, final StageErrorPolicy policy)
    {
        this.pipelineName = pipelineName;
        this.stageName = stageName;
        this.policy = policy;
    }

    /**
     * Reports that {@code onEvent} threw, unless a report was made less than a second ago.
     *
     * @param error    what it threw.
     * @param sequence the event's ring sequence.
     * @param event    the event.
     */
    void onEventFailure(final Throwable error, final long sequence, final MarketEvent event)
    {
        final long nowNs = System.nanoTime();
        if (nowNs - lastReportNs < REPORT_INTERVAL_NS)
        {
            suppressed++;
            return;
        }
        LOG.warn("pipeline '{}': stage '{}' failed on {} at sequence {} ({}; {} more failures in the last second not shown)",
            pipelineName, stageName, event, sequence, policy == StageErrorPolicy.SKIP_EVENT ?
                "event skipped" : "event skipped, instrument " + event.instrumentId() + " resync requested", suppressed, error);
        lastReportNs = nowNs;
        suppressed = 0;
    }

    /**
     * Reports a failure of {@code onStop}, always.
     *
     * @param error what it threw.
     */
    void onStopFailure(final Throwable error)
    {
        LOG.warn("pipeline '{}': stage '{}' failed to stop", pipelineName, stageName, error);
    }
}
