package io.loom.bench.e2e;

import io.loom.api.source.Source;
import io.loom.api.source.SourceContext;
import io.loom.connectors.session.FeedSession;
import io.loom.runtime.fiber.FiberScheduler;

/**
 * Starts a {@link FeedSession} built on a {@link HopTimingProtocol}, telling the protocol the
 * pipeline's reactor first (its socket-read stamps are the first hop's end). Everything else is the
 * session's.
 *
 * <p>Thread-safety: as {@link FeedSession}.
 */
final class HopTimedSource implements Source
{
    private final FeedSession session;
    private final HopTimingProtocol protocol;

    /**
     * @param session  the session, built on {@code protocol}.
     * @param protocol its protocol.
     */
    HopTimedSource(final FeedSession session, final HopTimingProtocol protocol)
    {
        this.session = session;
        this.protocol = protocol;
    }

    @Override
    public String name()
    {
        return session.name();
    }

    /** @throws IllegalArgumentException if the reactor is not a Loom {@link FiberScheduler}. */
    @Override
    public void start(final SourceContext context)
    {
        if (!(context.reactor() instanceof FiberScheduler reactor))
        {
            throw new IllegalArgumentException("hop timing needs a Loom FiberScheduler, not " + context.reactor());
        }
        protocol.reactor(reactor);
        session.start(context);
    }

    @Override
    public void onResyncRequested(final int instrumentId)
    {
        session.onResyncRequested(instrumentId);
    }
}
