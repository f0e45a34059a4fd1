package io.loom.runtime.pipeline;

import io.loom.api.event.MarketEvent;

/**
 * The bounded FIFO of whole messages that waits behind a full ring: pre-allocated
 * {@link MarketEvent} copies in a circular array, plus the length of each queued message, so a
 * message's events stay contiguous (modulo the array's wrap) and leave the queue together.
 *
 * <pre>
 *   head ──▶ [m1 e0][m1 e1][m2 e0][m3 e0][m3 e1][m3 e2] ◀── tail      lengths: 2, 1, 3
 *            drained into the ring, oldest first          new messages reserved here
 * </pre>
 *
 * <p>A message is reserved at the tail ({@link #tail()}, slots filled by the source), then either
 * committed ({@link #commit(int)}) or simply not committed (nothing to undo). Capacity is counted
 * in events; the array is rounded up to a power of two so positions map to slots with a mask.
 *
 * <p>Not thread-safe: used on the pipeline's reactor only (and by the closing thread once the
 * reactor has stopped).
 */
final class OverflowQueue
{
    private final MarketEvent[] slots;
    private final int slotMask;
    private final int[] lengths;
    private final int lengthMask;
    private final int capacity;
    private long headEvent;
    private long tailEvent;
    private long headMessage;
    private long tailMessage;

    /**
     * @param capacity events the queue holds, at least 1.
     */
    OverflowQueue(final int capacity)
    {
        final int size = roundUpToPowerOfTwo(capacity);
        this.capacity = capacity;
        this.slots = new MarketEvent[size];
        for (int i = 0; i < size; i++)
        {
            slots[i] = new MarketEvent();
        }
        this.slotMask = size - 1;
        this.lengths = new int[size]; // every message has at least one event
        this.lengthMask = size - 1;
    }

    /** @return events the queue holds at most. */
    int capacity()
    {
        return capacity;
    }

    /** @return events queued now. */
    int depth()
    {
        return (int)(tailEvent - headEvent);
    }

    /** @return true if no message is queued. */
    boolean isEmpty()
    {
        return tailEvent == headEvent;
    }

    /**
     * @param eventCount events of a message.
     * @return true if the message fits behind what is queued.
     */
    boolean hasRoomFor(final int eventCount)
    {
        return depth() + eventCount <= capacity;
    }

    /** @return the position where a message reserved now begins; its event {@code i} is {@code slot(tail() + i)}. */
    long tail()
    {
        return tailEvent;
    }

    /**
     * @param position an event position.
     * @return the slot at that position.
     */
    MarketEvent slot(final long position)
    {
        return slots[(int)position & slotMask];
    }

    /**
     * Appends the message of {@code eventCount} events filled in at {@link #tail()}.
     *
     * <p>Precondition: {@link #hasRoomFor(int)} said yes for it.
     *
     * @param eventCount events of the message.
     */
    void commit(final int eventCount)
    {
        lengths[(int)tailMessage & lengthMask] = eventCount;
        tailMessage++;
        tailEvent += eventCount;
    }

    /** @return the position of the oldest message's first event. Precondition: not empty. */
    long head()
    {
        return headEvent;
    }

    /** @return events of the oldest message. Precondition: not empty. */
    int headLength()
    {
        return lengths[(int)headMessage & lengthMask];
    }

    /**
     * @param index 0 for the oldest message, 1 for the next, ...
     * @return events of that message, or 0 if fewer messages are queued.
     */
    int lengthAt(final int index)
    {
        return headMessage + index < tailMessage ? lengths[(int)(headMessage + index) & lengthMask] : 0;
    }

    /**
     * Removes the oldest {@code messages} messages, {@code events} events in all.
     *
     * @param messages messages to remove.
     * @param events   their events.
     */
    void remove(final int messages, final int events)
    {
        headMessage += messages;
        headEvent += events;
    }

    private static int roundUpToPowerOfTwo(final int value)
    {
        if (value < 1 || value > 1 << 30)
        {
            throw new IllegalArgumentException("overflow capacity must be in 1..2^30: " + value);
        }
        return Integer.bitCount(value) == 1 ? value : Integer.highestOneBit(value) << 1;
    }
}
