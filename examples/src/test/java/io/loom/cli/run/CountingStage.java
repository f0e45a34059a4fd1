package io.loom.cli.run;

import io.loom.api.event.MarketEvent;
import io.loom.api.stage.Stage;

import java.util.Map;

/** A configured test stage with params: counts events; {@code every} must be a positive integer, {@code fail} makes the constructor fail. */
public final class CountingStage implements Stage
{
    private final int every;
    private long events;

    /** @param params {@code every} (default 1); {@code fail=true} throws an IllegalStateException. */
    public CountingStage(final Map<String, String> params)
    {
        if (Boolean.parseBoolean(params.get("fail")))
        {
            throw new IllegalStateException("told to fail");
        }
        try
        {
            every = Integer.parseInt(params.getOrDefault("every", "1"));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("every must be a positive integer, not \"" + params.get("every") + "\"", ex);
        }
    }

    @Override
    public void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch)
    {
        events += every;
    }
}
