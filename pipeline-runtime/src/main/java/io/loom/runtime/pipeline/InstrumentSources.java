package io.loom.runtime.pipeline;

import java.util.Arrays;

/**
 * Which source last published each instrument, so a stage's resync request for an instrument
 * reaches the source that feeds it. Indexed by interned instrument id (small, dense ints); the
 * table grows, by allocation, only when an id beyond it is first seen.
 *
 * <p>Not thread-safe: written by the publisher and read by the resync dispatcher, both on the
 * pipeline's reactor.
 */
final class InstrumentSources
{
    /** Ids at or above this are not interned ids (the registry counts from 1): not tracked. */
    private static final int MAX_TRACKED_ID = 1 << 24;

    private int[] sourceByInstrument = new int[256];

    /**
     * Notes that {@code sourceId} published an event of {@code instrumentId}.
     *
     * @param instrumentId the instrument; ids outside 0..2^24 are not tracked.
     * @param sourceId     the source, from 1.
     */
    void note(final int instrumentId, final int sourceId)
    {
        final int[] table = sourceByInstrument;
        if (instrumentId >= 0 && instrumentId < table.length)
        {
            table[instrumentId] = sourceId;
        }
        else if (instrumentId >= 0 && instrumentId < MAX_TRACKED_ID)
        {
            grow(instrumentId)[instrumentId] = sourceId;
        }
    }

    /**
     * @param instrumentId the instrument.
     * @return the source that last published it, or 0 if none has.
     */
    int sourceOf(final int instrumentId)
    {
        final int[] table = sourceByInstrument;
        return instrumentId >= 0 && instrumentId < table.length ? table[instrumentId] : 0;
    }

    private int[] grow(final int instrumentId)
    {
        sourceByInstrument = Arrays.copyOf(sourceByInstrument, Integer.highestOneBit(instrumentId) << 1);
        return sourceByInstrument;
    }
}
