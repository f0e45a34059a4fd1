package io.loom.runtime.metrics;

import io.loom.api.event.MarketEvent;
import io.loom.api.stage.Stage;

import java.util.concurrent.atomic.AtomicLong;

/** A test stage that counts its events without allocating and, if given a lock-step source, lets it publish the next one. */
final class CountingStage implements Stage
{
    final AtomicLong events = new AtomicLong();
    private final RoundSource lockStepSource;

    CountingStage(final RoundSource lockStepSource)
    {
        this.lockStepSource = lockStepSource;
    }

    @Override
    public void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch)
    {
        events.lazySet(events.get() + 1);
        if (lockStepSource != null)
        {
            lockStepSource.consumed();
        }
    }
}
