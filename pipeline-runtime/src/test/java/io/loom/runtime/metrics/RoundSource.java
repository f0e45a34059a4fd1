package io.loom.runtime.metrics;

import io.loom.api.event.Side;
import io.loom.api.fiber.Baton;
import io.loom.api.instrument.Venue;
import io.loom.api.source.EventPublisher;
import io.loom.api.source.Source;
import io.loom.api.source.SourceContext;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test source: one fiber publishing rounds of {@code eventsPerRound} one-event messages, each
 * stamped with the reactor clock's receive time. Round 0 starts at once; each further round waits
 * (at most 30 s) for {@link #releaseRound()}. In lock-step mode it publishes the next event only
 * after {@link #consumed()} was called for the previous one, so that every batch a stage sees holds
 * exactly one event. Allocates nothing per event.
 */
final class RoundSource implements Source
{
    private final int eventsPerRound;
    private final boolean lockStep;
    private final AtomicLong published = new AtomicLong();
    private final AtomicInteger roundsDone = new AtomicInteger();
    private volatile Baton nextRound;
    private volatile Baton consumed;

    RoundSource(final int eventsPerRound, final boolean lockStep)
    {
        this.eventsPerRound = eventsPerRound;
        this.lockStep = lockStep;
    }

    @Override
    public String name()
    {
        return "rounds";
    }

    @Override
    public void start(final SourceContext context)
    {
        final int instrumentId = context.instruments().intern(Venue.SYNTHETIC, "BTCUSDT", -2, -4).id();
        nextRound = context.reactor().newBaton();
        consumed = context.reactor().newBaton();
        context.reactor().spawn("rounds", () -> publish(context, instrumentId));
    }

    @Override
    public void onResyncRequested(final int instrumentId)
    {
    }

    /** Lets the next round begin; any thread. */
    void releaseRound()
    {
        nextRound.post();
    }

    /** In lock-step mode, lets the next event go; the last stage's thread calls it per event. */
    void consumed()
    {
        consumed.post();
    }

    int roundsDone()
    {
        return roundsDone.get();
    }

    long published()
    {
        return published.get();
    }

    private void publish(final SourceContext context, final int instrumentId) throws InterruptedException
    {
        final EventPublisher publisher = context.publisher();
        long sequence = 0;
        while (!Thread.currentThread().isInterrupted())
        {
            for (int i = 0; i < eventsPerRound; i++)
            {
                final EventPublisher.MessageClaim claim = publisher.claim(1);
                claim.event(0).venueId(Venue.SYNTHETIC.id()).bookLevel(instrumentId, Side.BID, 1_000 + sequence, 1)
                    .sequence(sequence++).receiveTimeNs(context.reactor().clock().nanoTime());
                claim.publish();
                published.lazySet(published.get() + 1);
                if (lockStep)
                {
                    if (!consumed.await(30, TimeUnit.SECONDS))
                    {
                        return;
                    }
                    consumed.reset();
                }
            }
            roundsDone.incrementAndGet();
            if (!nextRound.await(30, TimeUnit.SECONDS))
            {
                return;
            }
            nextRound.reset();
        }
    }
}
