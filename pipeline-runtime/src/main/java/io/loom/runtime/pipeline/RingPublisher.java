package io.loom.runtime.pipeline;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.loom.api.event.MarketEvent;
import io.loom.api.pipeline.Backpressure;
import io.loom.runtime.fiber.FiberScheduler;

import java.util.ArrayDeque;

/**
 * Publishes the sources' messages into the ring without ever blocking the reactor, keeping one
 * FIFO order across the ring and the overflow queue:
 *
 * <pre>
 *   claim(n) ─▶ overflow empty and ring.tryNext(n) ok? ──yes──▶ ring slots ─▶ publish(lo, hi)
 *                   │ no
 *                   ▼
 *              overflow has room for n? ─────────────yes──▶ overflow slots ─▶ commit (drained later, in order)
 *                   │ no
 *                   ├── BLOCK ──────────▶ the fiber parks on its baton until drain() has emptied the overflow
 *                   │                     queue to half its capacity, then retries; from then on the queue rests
 *                   │                     (sustained overload: see below)
 *                   └── DROP_AND_RESYNC ▶ scratch slots ─▶ publish() returns false: counted, instruments
 *                                         marked; once room returns a STATUS STALE per instrument is
 *                                         queued in order, then the source is asked to resync it
 * </pre>
 *
 * <p>Sustained overload under {@code BLOCK}: once a source has parked on a full overflow queue, the
 * queue <em>rests</em>. While it rests, a claim that finds the ring full (or the backlog not yet
 * gone) parks its fiber instead of queueing the message, as a raw Disruptor producer waits in
 * {@code next()}, and parked sources resume only once the backlog is gone and the ring has room for
 * half a ring: their messages then go straight into the ring. Without the rest every event of a
 * saturated source went through the queue, written twice (into the queue, then into the ring) with
 * the queue's bookkeeping per message on the reactor. The queue takes messages again (it is there
 * for bursts the stages will catch up with) once the ring's cursor has moved two rings past the
 * end of the backlog queued at the last park: a source publishes at most the ring's worth of room
 * it resumed into, so the stages then consumed a whole ring while it ran free (one ring re-armed
 * the queue after every wake-up when a stage freed the whole ring in one batch). Order,
 * {@code BLOCK}'s "lose nothing" and the never-blocked reactor are unchanged; only which fiber
 * waits where differs.
 *
 * <p>Several sources on one reactor keep the order in which their claims were made: a parked
 * source stands in a line ({@link #awaitInLine}), and while anyone stands in it every claim joins
 * it (the fast path's gate is closed) instead of taking room that appeared meanwhile; the head is
 * woken when there is room and wakes the next once its claim went through. Without the line, a
 * source that found the ring full and parked could be overtaken by a later claim of another
 * source that found room, and which one went first depended on how far the stages had got: a
 * replay with a timer source (a backtest's decision clock) then put its ticks between different
 * records from run to run.
 * Messages larger than half the ring always queue (they could not wait for half a ring of room).
 *
 * <p>The ring is a single-producer ring: every claim, publish and drain runs on the pipeline's one
 * reactor thread (the sources' fibers and the {@link OverflowDrainer} fiber are M:1 on it), and a
 * fiber publishes its claim before it parks, so claims are published in sequence order. Only after
 * the reactor has stopped does the closing thread drain what is left, as the ring's next and only
 * producer. That a claim comes from the reactor is checked where it is cheap next to the work (a
 * claim behind a full ring), and on every claim only under {@code -ea}: see {@link #claim}.
 *
 * <p>A publish into the ring may park the fiber that makes it: the Disruptor's blocking wait
 * strategies signal waiting stages under a monitor, and a virtual thread that finds a monitor held
 * unmounts (JDK 24+), so the reactor runs its other fibers meanwhile, and they may claim, drain and
 * queue statuses. So every path here completes its own bookkeeping (the claim released, the
 * moved messages removed from the overflow queue, the STALE entry removed) before it calls
 * {@code ring.publish}, and holds nothing across it. A drain that updated the queue after its
 * publish let a second drain move the same messages again and stranded an event in the queue
 * ({@code PipelinePublishParkTest}).
 *
 * <p>The fast path (nothing queued or owed, no claim open: claim, fill, publish) does what a raw
 * Disruptor producer does plus the least bookkeeping that abandoned claims and the overflow path
 * need: one gate field ({@link #ringClaimLimit}: no claim open, nothing behind the ring, and the
 * largest message that may go straight into the ring, in one unsigned compare) that the claim
 * closes and the publish reopens, and the claim's (mode, base, size) in the source's own
 * publisher, which the publish reads back. The source id and first/last stamp is written as each
 * slot is handed out ({@link SourcePublisher#event}), in the store the source makes to that slot's
 * line anyway, not in a second pass over the slots at publish. The ring's room is checked against
 * the room left from the last look at the stages ({@link #hasRoomFor}), a plain field, so neither a
 * volatile read of the ring's cursor nor {@code tryNext}'s own look is on the fast path.
 *
 * <p>An abandoned claim (never published: its fiber threw between claim and publish, or parked
 * holding it) is found without any per-message test: the reactor calls {@link #afterFiberSlice()}
 * after every fiber run slice, so a claim still open when its fiber parks or ends is dropped
 * there, before any other fiber runs; one that its own fiber leaves behind and claims again
 * (it caught the exception) closed the gate, so that claim takes the slow path, which drops it,
 * as does a drain. See {@link AbandonedClaims}.
 * Slots are handed out from a typed copy of the ring's slot references ({@link #slotsOf}):
 * {@code RingBuffer.get} is a checkcast that loads
 * the slot's class word, a cache miss on the producer's critical path for a slot the stages read
 * last; an index into a {@code MarketEvent[]} does not touch the slot until the source writes it.
 *
 * <p>Zero allocation on every path: ring slots, overflow slots and drop scratch slots are
 * pre-allocated, {@link InsufficientCapacityException} is the Disruptor's pre-allocated instance.
 *
 * <p>Not thread-safe: reactor only (see above).
 */
final class RingPublisher
{
    /**
     * While messages queue behind a full ring, a claim drains inline only after this many events
     * were queued since the last drain (or when its message would not fit): a drain reads the
     * consumers' sequences, and doing that per message would cost more than the queueing itself.
     */
    static final int INLINE_DRAIN_EVENTS = 256;

    private final String pipelineName;
    private final RingBuffer<MarketEvent> ring;
    /** The ring's slots by {@code sequence & (ringSize - 1)}: see {@link #slotsOf}. */
    private final MarketEvent[] slots;
    private final int ringSize;
    private final OverflowQueue overflow;
    private final Backpressure backpressure;
    private final StaleInstruments stale = new StaleInstruments();
    private final ResyncDispatcher resyncs;
    private final RingRoomSignal room;
    private final PipelineCounters counters;
    private final FiberScheduler reactor;
    private final MarketEvent[] dropScratch;
    private final AbandonedClaims abandonedClaims;
    private SourcePublisher[] publishers = new SourcePublisher[0];
    private final int maxMessageEvents;
    /**
     * The fast path's one gate: the largest message a claim may take straight into the ring, or 0
     * when every claim must take the slow path (a claim is open, or something waits behind the
     * ring). A claim sets it to 0 and its publish back to {@link #ringDirectLimit}, so an open
     * claim needs no token of its own.
     */
    private int ringClaimLimit;
    /** {@link #ringClaimLimit} while no claim is open: {@link #maxMessageEvents} if {@link #ringDirect}, else 0. */
    private int ringDirectLimit;
    /** True while nothing waits behind the ring (overflow empty, no STALE owed): claims may go straight to it. */
    private boolean ringDirect;
    private int queuedSinceDrain;
    /**
     * The ring's room as seen at the last look at the stages ({@link #hasRoomFor}), less what the
     * fast path has claimed since: a claim of at most this many events has room without a look. A
     * plain field of the reactor's, so the fast path reads no volatile (the ring's cursor) before
     * {@code tryNext}. Other claims (drains, STALE statuses, the slow path) zero it, so the first
     * claim after them looks; if it were ever too large, {@code tryNext} would look itself and
     * still decide.
     */
    private int ringRoom;
    /**
     * Source fibers waiting to claim, in the order they began to wait (BLOCK): the head waits for
     * room, the others for their turn. While anyone waits, every claim joins the line, so messages
     * enter the ring in the order their claims were made, whichever source made them.
     */
    private ArrayDeque<SourcePublisher> claimLine = new ArrayDeque<>(1);
    /** True while the overflow queue rests after a source parked on it (BLOCK; see the class comment). */
    private boolean overflowRests;
    /**
     * The ring's cursor when a source last parked for room, plus the backlog then queued (the
     * sequence its last event will take): the queue rests until the cursor is two rings past it.
     */
    private long lastParkCursor;
    private Thread verifiedThread;

    RingPublisher(
        final String pipelineName,
        final RingBuffer<MarketEvent> ring,
        final int overflowCapacity,
        final Backpressure backpressure,
        final ResyncDispatcher resyncs,
        final RingRoomSignal room,
        final PipelineCounters counters,
        final FiberScheduler reactor)
    {
        this.pipelineName = pipelineName;
        this.ring = ring;
        this.slots = slotsOf(ring);
        this.ringSize = ring.getBufferSize();
        this.overflow = new OverflowQueue(overflowCapacity);
        this.backpressure = backpressure;
        this.resyncs = resyncs;
        this.room = room;
        this.counters = counters;
        this.reactor = reactor;
        this.abandonedClaims = new AbandonedClaims(pipelineName, ring, stale, resyncs, counters);
        this.maxMessageEvents = backpressure == Backpressure.BLOCK ? Math.min(ringSize, overflowCapacity) : ringSize;
        ringDirect(true);
        if (backpressure == Backpressure.DROP_AND_RESYNC)
        {
            dropScratch = new MarketEvent[ringSize];
            for (int i = 0; i < ringSize; i++)
            {
                dropScratch[i] = new MarketEvent();
            }
        }
        else
        {
            dropScratch = null;
        }
    }

    /**
     * Makes the publisher of source {@code sourceId}.
     *
     * @param sourceId   the source's id, from 1, in order.
     * @param sourceName the source's name, for messages.
     * @return its publisher.
     */
    SourcePublisher newSourcePublisher(final int sourceId, final String sourceName)
    {
        final SourcePublisher publisher =
            new SourcePublisher(sourceId, sourceName, this, slots, overflow, dropScratch);
        final SourcePublisher[] grown = java.util.Arrays.copyOf(publishers, publishers.length + 1);
        grown[publishers.length] = publisher;
        publishers = grown;
        claimLine = new ArrayDeque<>(grown.length); // every source at most once: it never grows while claiming
        return publisher;
    }

    /**
     * The ring's slot references in a typed array: slot {@code sequence & (length - 1)} is
     * {@code ring.get(sequence)} for every sequence, since a ring maps a sequence to its slot by
     * that mask and never replaces a slot.
     *
     * @param ring the ring.
     * @return its slots, indexed by {@code (int)sequence & (length - 1)}.
     */
    static MarketEvent[] slotsOf(final RingBuffer<MarketEvent> ring)
    {
        final MarketEvent[] slots = new MarketEvent[ring.getBufferSize()];
        for (int i = 0; i < slots.length; i++)
        {
            slots[i] = ring.get(i);
        }
        return slots;
    }

    /**
     * Claims slots for a message of {@code eventCount} events for {@code publisher}'s source.
     *
     * <p>Precondition: the caller is a fiber of the pipeline's reactor (the ring is single-producer).
     * That is verified on every claim when assertions are enabled ({@code -ea}, as in tests), and
     * always on a claim that queues behind a full ring; a claim that goes straight into the ring
     * skips it otherwise: it is a per-claim cost the raw Disruptor does not pay either.
     *
     * @throws IllegalArgumentException if the message could never fit.
     * @throws IllegalStateException    if called off the reactor (see above).
     * @throws InterruptedException     if the fiber is interrupted while it waits for room (BLOCK).
     */
    void claim(final SourcePublisher publisher, final int eventCount) throws InterruptedException
    {
        assert verifyCaller(publisher);
        // one unsigned compare for 1 <= eventCount <= ringClaimLimit: no claim open, nothing behind the
        // ring, a size that fits; a bad size is reported by the slow path
        // then the room left from the last look at the stages (ringRoom), so that tryNext's own look stays
        // off this path (see hasRoomFor)
        if (Integer.compareUnsigned(eventCount - 1, ringClaimLimit) < 0
            && (eventCount <= ringRoom || hasRoomFor(eventCount)))
        {
            try
            {
                final long hi = ring.tryNext(eventCount);
                ringRoom -= eventCount;
                ringClaimLimit = 0;
                publisher.claimed(SourcePublisher.RING, hi - eventCount + 1, eventCount);
                return;
            }
            catch (final InsufficientCapacityException full)
            {
                // the ring is full: the message queues behind it
            }
        }
        claimBehindFullRing(publisher, eventCount);
    }

    /**
     * Looks at the stages' sequences when the room left from the last look ({@link #ringRoom}) does
     * not take the claim, and refreshes the sequencer's cache of them to at least what it read, so that
     * {@code tryNext} finds its room in the cache and its own look at the stages (a volatile store
     * of the cursor, the loop over the gating sequences) never runs from the fast path: C2 then
     * compiles it as an uncommon trap and keeps the claim's state in registers instead of spilling
     * it on the fast path for that branch. {@code tryNext} still decides; this only says when to look.
     *
     * @return true if the ring has room for {@code eventCount} events.
     */
    private boolean hasRoomFor(final int eventCount)
    {
        final long cursor = ring.getCursor(); // no claim is open: the last sequence claimed
        final long limit = ring.getMinimumGatingSequence() + ringSize;
        final int room = (int)(limit - cursor);
        if (room > 0)
        {
            ring.hasAvailableCapacity(room); // re-reads the gating sequences unless its cache already shows that room
        }
        ringRoom = Math.max(room, 0);
        return eventCount <= room;
    }

    /** Everything but the fast path: a bad size, an open (abandoned) claim, a backlog or a full ring. */
    private void claimBehindFullRing(final SourcePublisher publisher, final int eventCount) throws InterruptedException
    {
        if (eventCount < 1 || eventCount > maxMessageEvents)
        {
            throw messageSizeError(publisher, eventCount);
        }
        verifyCaller(publisher);
        releaseAbandonedClaims();
        while (true)
        {
            if (!claimLine.isEmpty() && claimLine.peekFirst() != publisher)
            {
                awaitInLine(publisher); // behind the claims made before this one
                continue;
            }
            if (hasBacklog() && (queuedSinceDrain >= INLINE_DRAIN_EVENTS || stale.hasPending() || !overflow.hasRoomFor(eventCount) || overflowRests))
            {
                drain();
            }
            if (!hasBacklog())
            {
                try
                {
                    final long hi = ring.tryNext(eventCount);
                    leaveLine(publisher);
                    take(publisher, SourcePublisher.RING, hi - eventCount + 1, eventCount);
                    return;
                }
                catch (final InsufficientCapacityException full)
                {
                    // the ring is full: the message queues behind it
                }
            }
            if (!stale.hasPending() && overflow.hasRoomFor(eventCount) && !overflowRestsFor(eventCount))
            {
                leaveLine(publisher);
                take(publisher, SourcePublisher.OVERFLOW, overflow.tail(), eventCount);
                return;
            }
            if (backpressure == Backpressure.DROP_AND_RESYNC)
            {
                take(publisher, SourcePublisher.DROPPED, 0, eventCount);
                return;
            }
            overflowRests = true;
            lastParkCursor = ring.getCursor() + overflow.depth(); // where the backlog will end in the ring
            room.wake(); // the drainer may be idle (the queue rests, nothing is queued): it must watch for room
            awaitInLine(publisher); // at the head of the line: woken by drain() once there is room
        }
    }

    /**
     * Joins the line (if not in it yet) and parks until woken: by {@link #drain} at the head of the
     * line once there is room, else by the source ahead once its claim went through
     * ({@link #leaveLine}). Leaves the line if interrupted (the reactor stops).
     */
    private void awaitInLine(final SourcePublisher publisher) throws InterruptedException
    {
        PipelineCounters.add(counters.batonWaits, 1);
        if (!claimLine.contains(publisher))
        {
            claimLine.addLast(publisher);
            ringDirect(ringDirect); // closes the fast path's gate while anyone waits
        }
        boolean woken = false;
        try
        {
            publisher.awaitRoom();
            woken = true;
        }
        finally
        {
            if (!woken)
            {
                leaveLine(publisher);
            }
        }
    }

    /**
     * Takes a source out of the line once its claim goes through (or it stops waiting), and wakes
     * the next in line; reopens the fast path when nobody waits. Precondition: no claim is open.
     */
    private void leaveLine(final SourcePublisher publisher)
    {
        if (claimLine.isEmpty())
        {
            return;
        }
        if (claimLine.peekFirst() == publisher)
        {
            claimLine.pollFirst();
            final SourcePublisher next = claimLine.peekFirst();
            if (next != null)
            {
                next.onRoom();
            }
        }
        else
        {
            claimLine.remove(publisher);
        }
        ringDirect(ringDirect);
    }

    /**
     * Publishes {@code publisher}'s claim: publishes the ring range, commits the overflow message,
     * or drops the message. The slots were stamped with the source id and first/last flags when
     * the source was handed them ({@link SourcePublisher#event}): nothing here touches a slot.
     *
     * <p>The ring path is kept small enough (under HotSpot's 325-byte limit for inlining hot
     * methods) to be inlined into the source's publishing loop; the rest is out of line.
     *
     * @return true if published or queued, false if dropped.
     * @throws IllegalStateException if the publisher holds no claim.
     */
    boolean publish(final SourcePublisher publisher)
    {
        final int size = publisher.size();
        if (size == 0)
        {
            throw publishWithoutClaim(publisher);
        }
        final long lo = publisher.base();
        publisher.released();
        ringClaimLimit = ringDirectLimit;
        if (publisher.mode() != SourcePublisher.RING)
        {
            return publishBehindRing(publisher, lo, size);
        }
        ring.publish(lo, lo + size - 1);
        return true;
    }

    /** Commits an overflow claim, or drops a scratch claim: see {@link #publish}. */
    private boolean publishBehindRing(final SourcePublisher publisher, final long lo, final int size)
    {
        final int sourceId = publisher.sourceId();
        if (publisher.mode() == SourcePublisher.OVERFLOW)
        {
            overflow.commit(size);
            queuedSinceDrain += size;
            counters.overflowDepth(overflow.depth());
            PipelineCounters.add(counters.overflowedMessages, 1);
            startBacklog();
            return true;
        }
        for (int i = 0; i < size; i++)
        {
            final MarketEvent event = dropScratch[i];
            stale.mark(sourceId, event.venueId(), event.instrumentId());
        }
        PipelineCounters.add(counters.droppedMessages, 1);
        PipelineCounters.add(counters.droppedEvents, size);
        startBacklog();
        return false;
    }

    private static IllegalStateException publishWithoutClaim(final SourcePublisher publisher)
    {
        return new IllegalStateException("source '" + publisher.sourceName() + "' published without a claim, or after its claim " +
            "was dropped: a fiber must publish its claim before it parks");
    }

    /**
     * A message was queued or dropped: claims now go behind the backlog. Only the first message of
     * a backlog wakes the drainer (it then waits for room until the backlog is gone), so queueing
     * under a saturated ring costs no fiber switch per message.
     */
    private void startBacklog()
    {
        if (ringDirect)
        {
            ringDirect(false);
            room.wake();
        }
    }

    /**
     * Sets whether claims may go straight to the ring. Precondition: no claim is open (it sets the
     * gate a claim closes).
     */
    private void ringDirect(final boolean direct)
    {
        ringDirect = direct;
        ringDirectLimit = direct && claimLine.isEmpty() ? maxMessageEvents : 0;
        ringClaimLimit = ringDirectLimit;
    }

    /**
     * @return true if messages wait in the overflow queue or a STALE status is owed. (A claim open
     * outside its fiber's slice cannot be seen: {@link #afterFiberSlice()} dropped it.)
     */
    boolean hasBacklog()
    {
        return !overflow.isEmpty() || stale.hasPending();
    }

    /**
     * Where the drainer should next be woken. While a source is parked on a full overflow queue it
     * is room for half the ring, whatever the backlog: the drainer then moves the backlog and wakes
     * the source into a ring with room for a long run of messages published straight into it.
     * Waking at room for the backlog alone would, with a small overflow queue, let the source
     * publish a message or two before it parks again: a fiber switch and a stage signal per few
     * messages. With no source parked it is room for the whole backlog or half the ring, whichever
     * is less. Either way at least room for the oldest queued message, which must move first.
     *
     * <p>Room is counted from the ring's cursor, not from the slowest stage: the ring may hold less
     * than a full ring (a large message queued behind a part-full one), and a wake-up sequence past
     * the cursor would never be reached once the stages have emptied the ring — the drainer would
     * then depend on its fallback timer, which does not run while a replay's clock stands still.
     *
     * @return the ring sequence at which, once the gating stages have handled it, the ring has that
     *         room: at least one event past the slowest gating stage, at most the cursor.
     */
    long roomWakeSequence()
    {
        final int half = ringSize >> 1;
        final int oldest = overflow.isEmpty() ? 0 : overflow.lengthAt(0);
        final int wanted = Math.max(oldest, !claimLine.isEmpty() ? half : Math.min(overflow.depth(), half));
        return Math.max(ring.getMinimumGatingSequence() + 1, ring.getCursor() - ringSize + wanted);
    }

    /**
     * Moves as many whole queued messages as the ring has room for, oldest first, each run of them
     * with one claim and one publish; then queues the STALE statuses owed after drops; then wakes
     * the fibers that wait for room.
     *
     * @return events moved or queued.
     */
    int drain()
    {
        releaseAbandonedClaims();
        queuedSinceDrain = 0;
        ringRoom = 0; // what it moves and queues takes ring room the fast path does not count
        int moved = 0;
        while (!overflow.isEmpty())
        {
            final long free = ring.remainingCapacity();
            int messages = 0;
            int events = 0;
            int length;
            while ((length = overflow.lengthAt(messages)) > 0 && events + length <= free)
            {
                events += length;
                messages++;
            }
            if (messages == 0)
            {
                break;
            }
            final long hi;
            try
            {
                hi = ring.tryNext(events);
            }
            catch (final InsufficientCapacityException unexpected)
            {
                break; // the consumers only free room, so this does not happen; try again on the next signal
            }
            final long lo = hi - events + 1;
            final long head = overflow.head();
            final int mask = slots.length - 1;
            for (int i = 0; i < events; i++)
            {
                slots[(int)(lo + i) & mask].copyFrom(overflow.slot(head + i));
            }
            overflow.remove(messages, events); // before the publish, which may park this fiber (see the class comment)
            counters.overflowDepth(overflow.depth());
            moved += events;
            ring.publish(lo, hi);
        }
        if (stale.hasPending())
        {
            final int queued = stale.queueStatuses(ring, overflow, resyncs);
            if (queued > 0 && !overflow.isEmpty())
            {
                counters.overflowDepth(overflow.depth());
                room.wake();
            }
            moved += queued;
        }
        ringDirect(overflow.isEmpty() && !stale.hasPending());
        if (!claimLine.isEmpty() && sourcesMayResume())
        {
            claimLine.peekFirst().onRoom(); // the others follow it in turn (leaveLine)
        }
        return moved;
    }

    /** @return true while a source fiber is parked on a full overflow queue (the drainer must keep watching for room). */
    boolean hasSourcesAwaitingRoom()
    {
        return !claimLine.isEmpty();
    }

    /**
     * Hysteresis for sources parked on a full overflow queue: they resume once it is at most half
     * full and they then have room for at least half a ring of events (room in the overflow queue
     * plus room in the ring), so they publish in long runs instead of parking again after every
     * few messages. With an overflow queue as large as the ring or larger (the default) the first
     * condition implies the second; with a smaller one (down to one message, where a full ring
     * parks the source at once, as the Disruptor's own {@code next()} would) the ring must have
     * the rest of the room. While the queue rests (sustained overload, see the class comment) they
     * resume only once the backlog is gone and the ring itself has room for half a ring: what they
     * publish then goes straight into it.
     */
    private boolean sourcesMayResume()
    {
        if (overflowRests)
        {
            return !hasBacklog() && ring.remainingCapacity() >= ringSize >> 1;
        }
        final int capacity = overflow.capacity();
        final int overflowRoom = capacity - overflow.depth();
        if (overflowRoom < capacity - (capacity >> 1))
        {
            return false;
        }
        final int half = ringSize >> 1;
        return overflowRoom >= half || overflowRoom + ring.remainingCapacity() >= half;
    }

    /**
     * @param eventCount events of a message that cannot go straight into the ring now.
     * @return true if the overflow queue rests for it: the message waits for the ring instead (see
     *         the class comment); false once the ring's cursor has moved two rings past the last
     *         park's backlog (the queue takes messages again), or for a message larger than half the ring.
     */
    private boolean overflowRestsFor(final int eventCount)
    {
        if (overflowRests && ring.getCursor() - lastParkCursor >= 2L * ringSize)
        {
            overflowRests = false;
        }
        return overflowRests && eventCount <= ringSize >> 1;
    }

    private void take(final SourcePublisher publisher, final int mode, final long base, final int eventCount)
    {
        ringRoom = 0; // a claim off the fast path: the next fast claim looks at the stages again
        ringClaimLimit = 0;
        publisher.claimed(mode, base, eventCount);
    }

    private IllegalArgumentException messageSizeError(final SourcePublisher publisher, final int eventCount)
    {
        if (eventCount < 1)
        {
            return new IllegalArgumentException("source '" + publisher.sourceName() + "' claimed " + eventCount +
                " events: a message has at least 1");
        }
        if (eventCount > ringSize)
        {
            return new IllegalArgumentException("source '" + publisher.sourceName() + "' claimed a message of " + eventCount +
                " events, larger than the ring of pipeline '" + pipelineName + "' (" + ringSize +
                " slots): raise ringSize or split the message");
        }
        return new IllegalArgumentException("source '" + publisher.sourceName() + "' claimed a message of " + eventCount +
            " events, larger than the overflow capacity of pipeline '" + pipelineName + "' (" + overflow.capacity() +
            " events): under BLOCK it could never queue behind a full ring; raise overflowCapacity or split the message");
    }

    /**
     * @return true (for {@code assert}) if the caller is on the reactor; the last thread verified is
     *         remembered, so a fiber publishing in a loop pays a reference compare.
     * @throws IllegalStateException if it is not.
     */
    private boolean verifyCaller(final SourcePublisher publisher)
    {
        final Thread current = Thread.currentThread();
        if (current != verifiedThread)
        {
            if (!reactor.inReactor())
            {
                throw new IllegalStateException("source '" + publisher.sourceName() + "' claimed from " + current +
                    ": publish only from fibers of the pipeline's reactor " + reactor.name());
            }
            verifiedThread = current;
        }
        return true;
    }

    /**
     * The reactor's {@link io.loom.runtime.fiber.FiberSliceHook}: a fiber's run slice has just ended
     * (it parked, yielded or ended), and a fiber must publish its claim before it parks, so a claim
     * still open now was abandoned by that fiber: it is dropped here, before any other fiber runs.
     * Costs one field test when no claim is open and nothing waits behind the ring.
     *
     * <p>Reactor thread only, outside any fiber: reporting the drop logs from that thread.
     */
    void afterFiberSlice()
    {
        if (ringClaimLimit == 0)
        {
            releaseAbandonedClaims();
        }
    }

    /**
     * A claim still held when a slice ends, another claim takes the slow path or a drain begins
     * was abandoned: see {@link AbandonedClaims}. The caller's own claim, if it is taking one, is
     * not open yet. Every open claim is dropped before any is reported: reporting may park this
     * fiber, and the gate must not reopen while a claim of another publisher is still open.
     */
    private void releaseAbandonedClaims()
    {
        boolean marked = false;
        for (final SourcePublisher abandoned : publishers)
        {
            if (abandoned.size() != 0)
            {
                marked |= abandonedClaims.drop(abandoned);
            }
        }
        ringClaimLimit = ringDirectLimit;
        if (marked)
        {
            ringDirect(false);
            room.wake();
        }
        for (final SourcePublisher abandoned : publishers)
        {
            if (abandoned.hasDropToReport())
            {
                abandonedClaims.reportDrop(abandoned); // may park this fiber: only now that every drop is complete
            }
        }
    }
}
