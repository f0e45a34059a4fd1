package io.loom.runtime.book;

import io.loom.api.book.BookState;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What an {@link OrderBookStage} did: events applied, messages, state transitions, crossed books,
 * top-of-book checks (agreed, disagreed, quotes left unchecked), resync requests, rejected events
 * and removals of absent levels.
 *
 * <p>Thread-safety: single writer (the stage's thread) with ordered stores; any thread may read.
 * The counts sit in the middle of one array, padded by a cache line on each side, so readers
 * polling them do not share a line with unrelated fields.
 */
final class OrderBookStageCounters
{
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int PAD = 8;
    private static final int EVENTS_APPLIED = PAD;
    private static final int MESSAGES = PAD + 1;
    private static final int CROSSED = PAD + 2;
    private static final int RESYNCS = PAD + 3;
    private static final int REJECTED = PAD + 4;
    private static final int ABSENT_REMOVALS = PAD + 5;
    private static final int QUOTES_AGREED = PAD + 6;
    private static final int QUOTES_DISAGREED = PAD + 7;
    private static final int QUOTES_UNCHECKED = PAD + 8;
    private static final int TRANSITIONS = PAD + 9;

    private final long[] slots = new long[TRANSITIONS + BookState.values().length + PAD];

    /** @param eventsApplied the events of the message that were applied to a book. */
    void onMessage(final int eventsApplied)
    {
        SLOT.setRelease(slots, EVENTS_APPLIED, slots[EVENTS_APPLIED] + eventsApplied);
        increment(MESSAGES);
    }

    void onCrossed()
    {
        increment(CROSSED);
    }

    void onResyncRequested()
    {
        increment(RESYNCS);
    }

    void onRejected()
    {
        increment(REJECTED);
    }

    void onAbsentRemoval()
    {
        increment(ABSENT_REMOVALS);
    }

    /** @param agreed quotes that agreed with the book. @param disagreed quotes that did not. @param unchecked quotes that found no message to check against. */
    void onQuotes(final int agreed, final int disagreed, final int unchecked)
    {
        if (agreed != 0)
        {
            add(QUOTES_AGREED, agreed);
        }
        if (disagreed != 0)
        {
            add(QUOTES_DISAGREED, disagreed);
        }
        if (unchecked != 0)
        {
            add(QUOTES_UNCHECKED, unchecked);
        }
    }

    void onTransition(final BookState into)
    {
        increment(TRANSITIONS + into.ordinal());
    }

    long eventsApplied()
    {
        return read(EVENTS_APPLIED);
    }

    long messages()
    {
        return read(MESSAGES);
    }

    long crossed()
    {
        return read(CROSSED);
    }

    long resyncsRequested()
    {
        return read(RESYNCS);
    }

    long rejected()
    {
        return read(REJECTED);
    }

    long absentRemovals()
    {
        return read(ABSENT_REMOVALS);
    }

    long quotesAgreed()
    {
        return read(QUOTES_AGREED);
    }

    long quotesDisagreed()
    {
        return read(QUOTES_DISAGREED);
    }

    long quotesUnchecked()
    {
        return read(QUOTES_UNCHECKED);
    }

    long transitionsInto(final BookState state)
    {
        return read(TRANSITIONS + state.ordinal());
    }

    private void increment(final int slot)
    {
        SLOT.setRelease(slots, slot, slots[slot] + 1);
    }

    private void add(final int slot, final int count)
    {
        SLOT.setRelease(slots, slot, slots[slot] + count);
    }

    private long read(final int slot)
    {
        return (long)SLOT.getAcquire(slots, slot);
    }
}
