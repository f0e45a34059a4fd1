package io.loom.examples.backtest;

import io.loom.api.event.FeedStatus;
import io.loom.api.event.MarketEvent;
import io.loom.api.fiber.Reactor;
import io.loom.api.instrument.Venue;
import io.loom.api.source.EventPublisher;
import io.loom.api.source.Source;
import io.loom.api.source.SourceContext;

/**
 * A timer on the pipeline's clock, delivered to stages in ring order: a fiber on the reactor sleeps
 * until {@code originNs + k * intervalNs} (k = 1, 2, ...) and then publishes one tick, a
 * {@link FeedStatus#VALID} status event of the {@link Venue#SYNTHETIC} instrument {@value #SYMBOL}
 * whose receive time is the deadline. Stages run on their own threads and have no timers; a
 * strategy that must decide every second reacts to these ticks instead.
 *
 * <pre>
 *   reactor timer (pipeline clock) ──▶ "decision-clock" fiber ──tick──▶ ring ──▶ strategy stage
 *   ReplaySource ──records (clock moved to each recv_ns, due timers first)──▶ ring
 * </pre>
 *
 * <p>With a {@link io.loom.connectors.replay.ReplaySource} the pipeline's clock is recorded time,
 * and the replay lets every timer due by a record's receive time fire before the record: the ticks
 * then fall between the same records at any replay speed, and their number is the recorded
 * duration divided by the interval, however long the replay took on the wall clock.
 *
 * <p>Thread-safety: {@link #ticks()} from any thread; the rest runs on the pipeline's reactor.
 */
public final class DecisionClockSource implements Source
{
    /** The symbol of the synthetic instrument the ticks are published for. */
    public static final String SYMBOL = "decision-clock";

    private final String name;
    private final long originNs;
    private final long intervalNs;
    private volatile long ticks;

    /**
     * @param name       the source's name.
     * @param originNs   the time the intervals count from, in the pipeline clock's time (a replay's first receive time).
     * @param intervalNs the interval between ticks, positive.
     */
    public DecisionClockSource(final String name, final long originNs, final long intervalNs)
    {
        if (intervalNs <= 0)
        {
            throw new IllegalArgumentException("the interval must be positive, not " + intervalNs);
        }
        this.name = name;
        this.originNs = originNs;
        this.intervalNs = intervalNs;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public void start(final SourceContext context)
    {
        final int instrumentId = context.instruments().intern(Venue.SYNTHETIC, SYMBOL, 0, 0).id();
        final Reactor reactor = context.reactor();
        final EventPublisher publisher = context.publisher();
        reactor.spawn(name, () -> tickEveryInterval(reactor, publisher, instrumentId));
    }

    /** @return ticks published so far. */
    public long ticks()
    {
        return ticks;
    }

    private void tickEveryInterval(final Reactor reactor, final EventPublisher publisher, final int instrumentId)
    {
        long deadlineNs = originNs;
        try
        {
            while (true)
            {
                deadlineNs += intervalNs;
                reactor.sleepNs(deadlineNs - reactor.clock().nanoTime());
                final EventPublisher.MessageClaim claim = publisher.claim(1);
                final MarketEvent tick = claim.event(0).clear().venueId(Venue.SYNTHETIC.id()).feedStatus(instrumentId, FeedStatus.VALID);
                tick.receiveTimeNs(deadlineNs).exchangeTimeNs(deadlineNs);
                claim.publish();
                ticks++;
            }
        }
        catch (final InterruptedException ex)
        {
            // the pipeline is closing
        }
    }
}
