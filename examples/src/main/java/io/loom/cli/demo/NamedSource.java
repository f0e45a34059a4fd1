package io.loom.cli.demo;

import io.loom.api.source.Source;
import io.loom.api.source.SourceContext;

/**
 * A source under another name: a pipeline needs unique source names, and two sessions of one
 * venue on one host (two Binance spot recordings, each on its own loopback simulator) would both
 * be named {@code binance-spot 127.0.0.1}.
 *
 * <p>Thread-safety: as the wrapped source's.
 */
public final class NamedSource implements Source
{
    private final String name;
    private final Source source;

    /**
     * @param name   the name in the pipeline.
     * @param source the source that does the work.
     */
    public NamedSource(final String name, final Source source)
    {
        this.name = name;
        this.source = source;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public void start(final SourceContext context) throws Exception
    {
        source.start(context);
    }

    @Override
    public void onResyncRequested(final int instrumentId)
    {
        source.onResyncRequested(instrumentId);
    }
}
