package io.loom.api.source;

import io.loom.api.event.MarketEvent;

/**
 * Publishes the events of one exchange message into the pipeline's ring as one contiguous,
 * atomically published range. Never blocks the reactor thread: when the ring is full the message
 * goes to a bounded overflow queue (order kept); when that is full too, the backpressure policy
 * decides — {@code BLOCK} parks the calling fiber until there is room (its connection is simply not
 * read meanwhile), {@code DROP_AND_RESYNC} drops the message, counts it, marks its instruments
 * stale and asks their source to resync.
 *
 * <p>Use: {@code claim(n)}, fill {@code claim.event(0..n-1)} (venue, instrument, kind, values,
 * times), {@code claim.publish()}. {@code event(i)} hands out slot {@code i} already stamped with
 * the source id and the first/last-of-message flags ({@link MarketEvent#messageStamp}), so the
 * publish writes no slot: fetch every slot of the claim through {@code event(i)} (a slot never
 * fetched keeps the stamp of whatever passed through it last), and leave {@code sourceId} and
 * {@code flags} to the publisher. Slots are reused and not cleared, as in any Disruptor ring: set
 * every field your stages read, or call {@link MarketEvent#clear()} first, which keeps the stamp.
 *
 * <p>A fiber must publish its claim before it parks or claims again. A claim left unpublished (its
 * fiber threw between claim and publish, or parked holding it) is found as soon as that fiber
 * parks or ends, before any other fiber of the reactor runs; if the fiber carries on (it caught
 * what was thrown), at its next claim. It is dropped, counted as a dropped message, and its
 * instruments get STATUS STALE events and a resync; the fiber that abandoned it gets an
 * {@link IllegalStateException} if it publishes it later.
 *
 * <p>Thread-safety: one publisher per source; used only by that source's fibers on the pipeline's
 * reactor, one message at a time. That is a precondition, not checked on every claim: the ring
 * has a single producer, and a claim from another thread (a platform thread, another reactor's
 * fiber) is rejected with an {@link IllegalStateException} when assertions are enabled
 * ({@code -ea}, as in tests) and whenever the message has to queue behind a full ring; otherwise
 * it would race the reactor for ring slots. Allocates nothing.
 */
public interface EventPublisher
{
    /**
     * Claims room for one message of {@code eventCount} events.
     *
     * @param eventCount events in the message, at least 1 and at most the ring's size.
     * @return the claim to fill and publish; reused by the next call.
     * @throws InterruptedException     if the fiber is interrupted while it waits for room.
     * @throws IllegalArgumentException if the message is larger than the ring.
     */
    MessageClaim claim(int eventCount) throws InterruptedException;

    /**
     * A message being published: its slots, then {@link #publish()}.
     *
     * <p>Thread-safety: as its publisher.
     */
    interface MessageClaim
    {
        /**
         * Hands out slot {@code index} of the claim, stamped with the source id and its message
         * flags ({@link MarketEvent#FIRST_OF_MESSAGE} at 0, {@link MarketEvent#LAST_OF_MESSAGE} at
         * {@code size() - 1}); may be called again for the same index.
         *
         * @param index 0 to {@code size() - 1}.
         * @return the slot to fill.
         * @throws IndexOutOfBoundsException if {@code index} is outside the claim, or the claim was published.
         */
        MarketEvent event(int index);

        /** @return the number of events claimed. */
        int size();

        /**
         * Publishes the filled events together.
         *
         * @return true if published or queued in order; false if dropped under DROP_AND_RESYNC.
         */
        boolean publish();
    }
}
