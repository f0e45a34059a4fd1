package io.loom.connectors.session;

import java.util.Arrays;

/**
 * A FIFO of instrument ids without duplicates: an instrument asked for twice before it is served
 * is served once. Ids are small non-negative ints (an {@link io.loom.api.instrument.InstrumentRegistry}'s).
 *
 * <p>Thread-safety: not thread-safe; used by the fibers of one reactor, which never run at the same
 * time. Allocates only when an id beyond the current size arrives (it grows).
 */
final class InstrumentQueue
{
    private boolean[] queued;
    private int[] ring;
    private int head;
    private int size;

    /** @param expectedIds ids {@code 0..expectedIds-1} fit without growing. */
    InstrumentQueue(final int expectedIds)
    {
        final int capacity = Math.max(16, expectedIds);
        queued = new boolean[capacity];
        ring = new int[capacity];
    }

    /**
     * Queues an id unless it is queued already.
     *
     * @param instrumentId a non-negative id.
     * @return true if added, false if it was queued already.
     */
    boolean add(final int instrumentId)
    {
        if (instrumentId < 0)
        {
            throw new IllegalArgumentException("instrument ids are not negative: " + instrumentId);
        }
        if (instrumentId >= queued.length)
        {
            grow(instrumentId + 1);
        }
        if (queued[instrumentId])
        {
            return false;
        }
        queued[instrumentId] = true;
        ring[(head + size) % ring.length] = instrumentId;
        size++;
        return true;
    }

    /** @return the oldest id, removed; -1 when empty. */
    int poll()
    {
        if (size == 0)
        {
            return -1;
        }
        final int instrumentId = ring[head];
        head = (head + 1) % ring.length;
        size--;
        queued[instrumentId] = false;
        return instrumentId;
    }

    /** @return true when nothing is queued. */
    boolean isEmpty()
    {
        return size == 0;
    }

    /** Forgets every queued id. */
    void clear()
    {
        while (poll() >= 0)
        {
            // dequeued
        }
    }

    private void grow(final int ids)
    {
        final int capacity = Math.max(ids, queued.length * 2);
        final int[] ordered = new int[capacity];
        for (int i = 0; i < size; i++)
        {
            ordered[i] = ring[(head + i) % ring.length];
        }
        ring = ordered;
        head = 0;
        queued = Arrays.copyOf(queued, capacity);
    }
}
