package io.loom.cli.run;

import io.loom.api.event.MarketEvent;
import io.loom.api.stage.Stage;

/** A test stage whose only constructor takes an int: not configurable. */
public final class IntArgStage implements Stage
{
    /** @param size anything. */
    public IntArgStage(final int size)
    {
    }

    @Override
    public void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch)
    {
    }
}
