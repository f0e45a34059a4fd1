package io.loom.runtime.pipeline;

import io.loom.api.event.EventKind;
import io.loom.api.event.MarketEvent;
import io.loom.api.stage.Stage;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A test stage that checks, without allocating, what it sees: per source, book-level sequences
 * arrive each exactly once and in order (gaps allowed only if told so, as after drops), message
 * flags match messages of {@code eventsPerMessage} events, and ring sequences increase by one.
 * Optionally it checks that given upstream stages handled each event before it, sleeps per event
 * (a slow consumer), or throws on chosen events.
 */
class RecordingStage implements Stage
{
    private final int eventsPerMessage;
    private final long[] nextBySource = new long[16];
    private final AtomicLong bookEvents = new AtomicLong();
    private final AtomicLong violations = new AtomicLong();
    private final AtomicLong lastRingSequence = new AtomicLong(-1);
    private final List<String> statuses = new CopyOnWriteArrayList<>();
    private volatile String firstViolation;
    private boolean allowGaps;
    /** Volatile: a test may change it while the stage runs. */
    private volatile long delayNs;
    private RecordingStage[] upstream = new RecordingStage[0];
    private java.util.function.LongToIntFunction instrumentOfSequence;
    private final Set<Integer> staleSinceLastGap = new HashSet<>();

    RecordingStage(final int eventsPerMessage)
    {
        this.eventsPerMessage = eventsPerMessage;
    }

    RecordingStage allowGaps()
    {
        this.allowGaps = true;
        return this;
    }

    /**
     * Allows gaps, and checks that a STALE status for every instrument of the missing events
     * arrived before the event that follows the gap.
     */
    RecordingStage expectStaleBeforeGaps(final java.util.function.LongToIntFunction instrumentOfSequence)
    {
        this.allowGaps = true;
        this.instrumentOfSequence = instrumentOfSequence;
        return this;
    }

    RecordingStage delayPerEventNs(final long delayNs)
    {
        this.delayNs = delayNs;
        return this;
    }

    RecordingStage after(final RecordingStage... stages)
    {
        this.upstream = stages;
        return this;
    }

    @Override
    public void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch) throws Exception
    {
        final long previous = lastRingSequence.get();
        if (previous != -1 && sequence != previous + 1)
        {
            violation("ring sequence " + sequence + " after " + previous);
        }
        for (final RecordingStage before : upstream)
        {
            if (before.lastRingSequence() < sequence)
            {
                violation("saw ring sequence " + sequence + " before an upstream stage did (it is at " + before.lastRingSequence() + ")");
            }
        }
        if (event.kind() == EventKind.STATUS)
        {
            statuses.add(event.instrumentId() + ":" + event.status());
            if (instrumentOfSequence != null)
            {
                staleSinceLastGap.add(event.instrumentId());
            }
        }
        else
        {
            onBookLevel(event);
        }
        onChecked(event, sequence);
        lastRingSequence.set(sequence);
        if (delayNs > 0)
        {
            LockSupport.parkNanos(delayNs);
        }
    }

    /** Hook for stages that do more (throw, request resyncs); called before the event is counted as seen. */
    void onChecked(final MarketEvent event, final long sequence) throws Exception
    {
    }

    private void onBookLevel(final MarketEvent event)
    {
        final int source = event.sourceId();
        final long expected = nextBySource[source];
        final long seen = event.sequence();
        if (seen != expected && !(allowGaps && seen > expected))
        {
            violation("source " + source + " sequence " + seen + ", expected " + expected);
        }
        if (instrumentOfSequence != null && seen > expected)
        {
            for (long missing = expected; missing < seen; missing++)
            {
                if (!staleSinceLastGap.contains(instrumentOfSequence.applyAsInt(missing)))
                {
                    violation("events " + expected + ".." + (seen - 1) + " are missing, but instrument " +
                        instrumentOfSequence.applyAsInt(missing) + " was not marked STALE before " + seen);
                    break;
                }
            }
            staleSinceLastGap.clear();
        }
        nextBySource[source] = seen + 1;
        final boolean first = seen % eventsPerMessage == 0;
        final boolean last = seen % eventsPerMessage == eventsPerMessage - 1;
        if (event.isFirstOfMessage() != first || event.isLastOfMessage() != last)
        {
            violation("sequence " + seen + " has flags " + event.flags());
        }
        bookEvents.lazySet(bookEvents.get() + 1);
    }

    private void violation(final String what)
    {
        if (violations.getAndIncrement() == 0)
        {
            firstViolation = what;
        }
    }

    long bookEvents()
    {
        return bookEvents.get();
    }

    long violations()
    {
        return violations.get();
    }

    String firstViolation()
    {
        return firstViolation;
    }

    long lastRingSequence()
    {
        return lastRingSequence.get();
    }

    List<String> statuses()
    {
        return statuses;
    }
}
