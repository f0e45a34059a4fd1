package io.loom.runtime.pipeline;

import io.loom.api.event.Side;
import io.loom.api.instrument.Venue;
import io.loom.api.source.EventPublisher;
import io.loom.api.source.Source;
import io.loom.api.source.SourceContext;
import io.loom.runtime.fiber.FiberBaton;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * A test source: one fiber publishing rounds of {@code messages} messages of {@code eventsPerMessage}
 * book levels, numbered 0, 1, 2, ... in {@code sequence}, cycling through its instruments per
 * message. Round 0 starts at once; each further round waits for {@link #releaseRound()}. Records
 * what it could publish, what was dropped, how far it ever ran ahead of a consumer, and the resync
 * requests it received (without allocating, so it can run inside allocation tests).
 */
final class SyntheticSource implements Source
{
    private final String name;
    private final int messages;
    private final int eventsPerMessage;
    private final String[] symbols;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong maxLead = new AtomicLong();
    private final AtomicLong consumedWhenDone = new AtomicLong(-1);
    private final AtomicInteger roundsDone = new AtomicInteger();
    private final AtomicLongArray resyncs = new AtomicLongArray(64);
    private final FiberBaton nextRound = new FiberBaton();
    private int rounds = 1;
    private int[] roundMessages;
    private int yieldEvery;
    private boolean stampReceiveTime;
    private LongSupplier consumed;
    private FiberBaton resyncGate;
    private BooleanSupplier endRound = () -> false;
    private volatile int[] instrumentIds = new int[0];
    private volatile Thread fiber;

    SyntheticSource(final String name, final int messages, final int eventsPerMessage, final String... symbols)
    {
        this.name = name;
        this.messages = messages;
        this.eventsPerMessage = eventsPerMessage;
        this.symbols = symbols;
    }

    /** @param rounds rounds to publish; round r > 0 waits for {@link #releaseRound()}. @return this */
    SyntheticSource rounds(final int rounds)
    {
        this.rounds = rounds;
        return this;
    }

    /** @param messages the messages of each round, overriding the constructor's count and {@link #rounds}. @return this */
    SyntheticSource roundSizes(final int... messages)
    {
        this.roundMessages = messages.clone();
        this.rounds = messages.length;
        return this;
    }

    /** @param messages yield the reactor to other fibers every this many messages (0: never). @return this */
    SyntheticSource yieldEvery(final int messages)
    {
        this.yieldEvery = messages;
        return this;
    }

    /** Stamps each event with the reactor clock's receive time. @return this */
    SyntheticSource stampReceiveTime()
    {
        this.stampReceiveTime = true;
        return this;
    }

    /** @param consumedEvents events a consumer has handled, to track how far the source runs ahead. @return this */
    SyntheticSource leadAgainst(final LongSupplier consumedEvents)
    {
        this.consumed = consumedEvents;
        return this;
    }

    /**
     * @param condition ends the current round early once true (tested before each message), so a
     *                  test can keep a source publishing until it has seen what it waits for.
     * @return this
     */
    SyntheticSource endRoundWhen(final BooleanSupplier condition)
    {
        this.endRound = condition;
        return this;
    }

    /**
     * Makes the first resync request park the pipeline's resync fiber until {@code gate} is posted
     * (at most 10 s), so the requests behind it stay queued (a fiber wait: the reactor's carrier
     * keeps running).
     *
     * @return this
     */
    SyntheticSource holdFirstResyncUntil(final FiberBaton gate)
    {
        this.resyncGate = gate;
        return this;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public void start(final SourceContext context)
    {
        final int[] ids = new int[symbols.length];
        for (int i = 0; i < symbols.length; i++)
        {
            ids[i] = context.instruments().intern(Venue.SYNTHETIC, symbols[i], -2, -4).id();
        }
        instrumentIds = ids;
        final EventPublisher publisher = context.publisher();
        fiber = context.reactor().spawn(name, () -> publish(context, publisher, ids));
    }

    @Override
    public void onResyncRequested(final int instrumentId)
    {
        resyncs.incrementAndGet(instrumentId);
        final FiberBaton gate = resyncGate;
        if (gate != null)
        {
            resyncGate = null;
            try
            {
                gate.await(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt(); // the pipeline is closing
            }
        }
    }

    private void publish(final SourceContext context, final EventPublisher publisher, final int[] ids) throws InterruptedException
    {
        final int venueId = Venue.SYNTHETIC.id();
        long sequence = 0;
        long sent = 0;
        for (int round = 0; round < rounds; round++)
        {
            if (round > 0)
            {
                nextRound.await();
                nextRound.reset();
            }
            final int count = roundMessages != null ? roundMessages[round] : messages;
            for (int m = 0; m < count && !endRound.getAsBoolean(); m++)
            {
                final EventPublisher.MessageClaim claim = publisher.claim(eventsPerMessage);
                final int instrumentId = ids[m % ids.length];
                final long receivedNs = stampReceiveTime ? context.reactor().clock().nanoTime() : 0;
                for (int i = 0; i < eventsPerMessage; i++)
                {
                    claim.event(i).venueId(venueId).bookLevel(instrumentId, Side.BID, 1_000 + sequence, 1 + i)
                        .sequence(sequence++).receiveTimeNs(receivedNs);
                }
                if (claim.publish())
                {
                    accepted.lazySet(accepted.get() + 1);
                    sent += eventsPerMessage;
                    if (consumed != null && sent - consumed.getAsLong() > maxLead.get())
                    {
                        maxLead.lazySet(sent - consumed.getAsLong());
                    }
                }
                else
                {
                    dropped.lazySet(dropped.get() + 1);
                }
                if (yieldEvery > 0 && (m + 1) % yieldEvery == 0)
                {
                    Thread.yield();
                }
            }
            if (consumed != null)
            {
                consumedWhenDone.set(consumed.getAsLong());
            }
            roundsDone.incrementAndGet();
        }
    }

    /** @return events the tracked consumer had handled when the source published its last message. */
    long consumedWhenDone()
    {
        return consumedWhenDone.get();
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

    boolean isDone()
    {
        return roundsDone.get() == rounds;
    }

    /** @return messages published or queued. */
    long accepted()
    {
        return accepted.get();
    }

    /** @return messages dropped (publish returned false). */
    long dropped()
    {
        return dropped.get();
    }

    /** @return the most events ever published and not yet handled by the tracked consumer. */
    long maxLead()
    {
        return maxLead.get();
    }

    /** @return resync requests received for the instrument. */
    long resyncsRequested(final int instrumentId)
    {
        return resyncs.get(instrumentId);
    }

    int[] instrumentIds()
    {
        return instrumentIds;
    }

    Thread fiber()
    {
        return fiber;
    }
}
