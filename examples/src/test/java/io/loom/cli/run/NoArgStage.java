package io.loom.cli.run;

import io.loom.api.event.MarketEvent;
import io.loom.api.stage.Stage;

/** A configured test stage with a no-arg constructor only: it takes no params. */
public final class NoArgStage implements Stage
{
    /** Makes the stage. */
    public NoArgStage()
    {
    }

    @Override
    public void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch)
    {
    }
}
