package io.loom.runtime.book;

import io.loom.api.event.EventKind;
import io.loom.api.event.FeedStatus;
import io.loom.api.event.MarketEvent;
import io.loom.api.event.Side;
import io.loom.api.instrument.Venue;
import io.loom.api.source.EventPublisher;
import io.loom.api.source.Source;
import io.loom.api.source.SourceContext;
import io.loom.runtime.fiber.FiberBaton;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test source publishing one instrument's book as a ladder whose every message changes every
 * level, so that a torn read is visible: a snapshot message (sequence 1) of {@code depth} bids
 * {@code 10000, 9999, ...} and asks {@code 10001, 10002, ...}, then delta messages m = 2, 3, ...
 * that set every level's quantity to m (sequence m) and, when m is even, remove the best bid. After
 * message m the book holds exactly: quantity m at every level, {@code depth} asks, and
 * {@code depth - 1} bids if m is even, else {@code depth}. Round 0 (the snapshot and
 * {@code messagesPerRound} deltas) starts at once; each further round waits for
 * {@link #releaseRound()}. Optionally a last round-less message crosses the book. Allocates
 * nothing per message.
 */
final class LadderBookSource implements Source
{
    static final long BEST_BID = 10_000;
    static final long BEST_ASK = 10_001;

    private final int depth;
    private final int messagesPerRound;
    private final int rounds;
    private final boolean crossAtEnd;
    private final FiberBaton nextRound = new FiberBaton();
    private final AtomicInteger roundsDone = new AtomicInteger();
    private final AtomicLong lastSequencePublished = new AtomicLong();
    private final AtomicLong resyncRequests = new AtomicLong();
    private volatile int instrumentId;

    LadderBookSource(final int depth, final int messagesPerRound, final int rounds, final boolean crossAtEnd)
    {
        this.depth = depth;
        this.messagesPerRound = messagesPerRound;
        this.rounds = rounds;
        this.crossAtEnd = crossAtEnd;
    }

    @Override
    public String name()
    {
        return "ladder";
    }

    @Override
    public void start(final SourceContext context)
    {
        instrumentId = context.instruments().intern(Venue.SYNTHETIC, "LADDER", -2, -4).id();
        final EventPublisher publisher = context.publisher();
        context.reactor().spawn("ladder", () -> publish(publisher, instrumentId));
    }

    @Override
    public void onResyncRequested(final int instrumentId)
    {
        resyncRequests.incrementAndGet();
    }

    private void publish(final EventPublisher publisher, final int id) throws InterruptedException
    {
        final EventPublisher.MessageClaim snapshot = publisher.claim(2 * depth + 3);
        snapshot.event(0).clear().instrumentId(id).kind(EventKind.SNAPSHOT_BEGIN).sequence(1);
        fillLevels(snapshot, 1, id, 1);
        snapshot.event(2 * depth + 1).clear().instrumentId(id).kind(EventKind.SNAPSHOT_END).sequence(1);
        snapshot.event(2 * depth + 2).clear().feedStatus(id, FeedStatus.VALID).sequence(1);
        snapshot.publish();
        long sequence = 1;
        for (int round = 0; round < rounds; round++)
        {
            if (round > 0)
            {
                nextRound.await();
                nextRound.reset();
            }
            for (int m = 0; m < messagesPerRound; m++)
            {
                sequence++;
                final boolean removeBestBid = (sequence & 1) == 0;
                final EventPublisher.MessageClaim claim = publisher.claim(2 * depth + (removeBestBid ? 1 : 0));
                fillLevels(claim, 0, id, sequence);
                if (removeBestBid)
                {
                    claim.event(2 * depth).clear().bookLevel(id, Side.BID, BEST_BID, 0).sequence(sequence);
                }
                claim.publish();
                lastSequencePublished.lazySet(sequence);
            }
            roundsDone.incrementAndGet();
        }
        if (crossAtEnd)
        {
            final EventPublisher.MessageClaim cross = publisher.claim(1);
            cross.event(0).clear().bookLevel(id, Side.BID, BEST_ASK + 5, 1).sequence(++sequence);
            cross.publish();
            lastSequencePublished.lazySet(sequence);
        }
    }

    /** Fills events from {@code first} with every bid then every ask, quantity {@code sequence}. */
    private void fillLevels(final EventPublisher.MessageClaim claim, final int first, final int id, final long sequence)
    {
        for (int i = 0; i < depth; i++)
        {
            final MarketEvent bid = claim.event(first + 2 * i);
            bid.clear().bookLevel(id, Side.BID, BEST_BID - i, sequence).sequence(sequence);
            claim.event(first + 2 * i + 1).clear().bookLevel(id, Side.ASK, BEST_ASK + i, sequence).sequence(sequence);
        }
    }

    /** Lets the next round begin. */
    void releaseRound()
    {
        nextRound.post();
    }

    int roundsDone()
    {
        return roundsDone.get();
    }

    long lastSequencePublished()
    {
        return lastSequencePublished.get();
    }

    long resyncRequests()
    {
        return resyncRequests.get();
    }

    int instrumentId()
    {
        return instrumentId;
    }
}
