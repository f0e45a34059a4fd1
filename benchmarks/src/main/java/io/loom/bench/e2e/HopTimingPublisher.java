package io.loom.bench.e2e;

import io.loom.api.event.MarketEvent;
import io.loom.api.source.EventPublisher;

/**
 * An {@link EventPublisher} that tells a {@link HopRecorder} when each message is about to be
 * published (claimed and filled: decoding and book sync are done), then publishes it through the
 * pipeline's publisher. Allocates nothing.
 *
 * <p>Thread-safety: as the wrapped publisher (the source's fibers on the reactor).
 */
final class HopTimingPublisher implements EventPublisher, EventPublisher.MessageClaim
{
    private final EventPublisher publisher;
    private final HopRecorder hops;
    private MessageClaim claim;

    /**
     * @param publisher the pipeline's publisher.
     * @param hops      where the publish times go.
     */
    HopTimingPublisher(final EventPublisher publisher, final HopRecorder hops)
    {
        this.publisher = publisher;
        this.hops = hops;
    }

    @Override
    public MessageClaim claim(final int eventCount) throws InterruptedException
    {
        claim = publisher.claim(eventCount);
        return this;
    }

    @Override
    public MarketEvent event(final int index)
    {
        return claim.event(index);
    }

    @Override
    public int size()
    {
        return claim.size();
    }

    @Override
    public boolean publish()
    {
        hops.onPublish(claim.event(claim.size() - 1).exchangeTimeNs(), System.nanoTime());
        return claim.publish();
    }
}
