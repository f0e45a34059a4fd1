package io.loom.bench.pipeline;

import io.loom.api.event.MarketEvent;
import io.loom.api.event.Side;
import io.loom.api.instrument.Venue;

/**
 * What the producer writes into an event and what each consumer reads from it: the same for every
 * mechanism, so the comparison is of the hand-off, not the work.
 *
 * <p>Not thread-safe: one instance per consumer.
 */
final class EventWork
{
    private long checksum;

    /**
     * Fills a book level, as a decoder would, with the receive time a connector stamps on every
     * event (read once per burst by the producer, as a connector reads it once per frame): a Loom
     * stage samples its latency from it once per batch, so the benchmark makes it pay what it pays
     * in use; without one it skipped the sample.
     *
     * @param event      the slot.
     * @param sequence   the producer's running count.
     * @param receivedNs the receive time, {@code System.nanoTime()}.
     */
    static void fill(final MarketEvent event, final long sequence, final long receivedNs)
    {
        event.venueId(Venue.SYNTHETIC.id())
            .bookLevel(1 + (int)(sequence & 3), (sequence & 1) == 0 ? Side.BID : Side.ASK, 1_000_000 + (sequence & 1023), 1 + (sequence & 15))
            .sequence(sequence)
            .receiveTimeNs(receivedNs);
    }

    /**
     * Reads the event, as a light stage would.
     *
     * @param event the event.
     */
    void consume(final MarketEvent event)
    {
        checksum += event.price() ^ event.quantity() ^ event.sequence();
    }

    /** @return what the reads added up to (keeps them from being optimised away). */
    long checksum()
    {
        return checksum;
    }
}
