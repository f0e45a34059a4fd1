package io.loom.cli.demo;

import io.loom.api.event.MarketEvent;
import io.loom.api.stage.Stage;
import io.loom.api.stage.StageContext;

/**
 * Runs a stage on the events of one pipeline source only: how one pipeline with several sessions
 * keeps one order-book stage, and so one output digest, per session, each comparable with the
 * replay of that session's own journal.
 *
 * <pre>
 *   ring ──▶ SourceFilterStage(source 2) ──events of source 2 only──▶ inner stage
 * </pre>
 *
 * <p>The inner stage sees {@code endOfBatch} as the ring reports it for the events it is given: a
 * batch that ends with another source's event ends without a flag for it. Stages that flush on
 * {@code endOfBatch} (the order-book stage does not) flush at their source's next batch end.
 *
 * <p>Allocation: none. Thread-safety: the {@link Stage} methods run on the stage's thread.
 */
public final class SourceFilterStage implements Stage
{
    private final int sourceId;
    private final Stage inner;

    /**
     * @param sourceId the source whose events pass, from 1 in the order sources were added.
     * @param inner    the stage that gets them.
     */
    public SourceFilterStage(final int sourceId, final Stage inner)
    {
        if (sourceId < 1)
        {
            throw new IllegalArgumentException("source ids start at 1: " + sourceId);
        }
        this.sourceId = sourceId;
        this.inner = inner;
    }

    @Override
    public void onStart(final StageContext context) throws Exception
    {
        inner.onStart(context);
    }

    @Override
    public void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch) throws Exception
    {
        if (event.sourceId() == sourceId)
        {
            inner.onEvent(event, sequence, endOfBatch);
        }
    }

    @Override
    public void onStop() throws Exception
    {
        inner.onStop();
    }
}
