package io.loom.runtime.pipeline;

import io.loom.api.event.MarketEvent;
import io.loom.api.source.EventPublisher;
import io.loom.runtime.fiber.FiberBaton;

/**
 * One source's {@link EventPublisher}, and its reusable {@link EventPublisher.MessageClaim}: the
 * claimed slots are ring slots, overflow-queue slots or (a message about to be dropped) scratch
 * slots. They are not cleared (a dozen stores per event the Disruptor baseline does not pay): they
 * hold whatever passed through them last, and the source sets what its stages read. {@link #event}
 * stamps the slot it hands out with the source id and its first/last-of-message flags
 * ({@link MarketEvent#messageStamp}), so publishing touches no slot. The decisions are the shared
 * {@link RingPublisher}'s; this object holds what one source's claim needs, and the baton its
 * fiber parks on when the overflow queue is full under {@code BLOCK}.
 *
 * <p>Thread-safety: used by the source's fibers on the pipeline's reactor, one message at a
 * time; a fiber must publish its claim before it parks or claims again (a claim left unpublished
 * is dropped, see {@code RingPublisher}).
 */
final class SourcePublisher implements EventPublisher, EventPublisher.MessageClaim
{
    static final int IDLE = 0;
    static final int RING = 1;
    static final int OVERFLOW = 2;
    static final int DROPPED = 3;

    private final int sourceId;
    private final String sourceName;
    private final RingPublisher publisher;
    /** The ring's slots, see {@link RingPublisher#slotsOf}. */
    private final MarketEvent[] ringSlots;
    private final OverflowQueue overflow;
    private final MarketEvent[] dropScratch;
    private final FiberBaton roomBaton = new FiberBaton();
    private boolean waitingForRoom;
    private int mode = IDLE;
    private long base;
    private int size;
    /** The last claim dropped as abandoned, until {@link AbandonedClaims#reportDrop} reports it. */
    private boolean dropToReport;
    private boolean droppedInRing;
    private long droppedBase;
    private int droppedSize;

    SourcePublisher(
        final int sourceId,
        final String sourceName,
        final RingPublisher publisher,
        final MarketEvent[] ringSlots,
        final OverflowQueue overflow,
        final MarketEvent[] dropScratch)
    {
        this.sourceId = sourceId;
        this.sourceName = sourceName;
        this.publisher = publisher;
        this.ringSlots = ringSlots;
        this.overflow = overflow;
        this.dropScratch = dropScratch;
    }

    @Override
    public MessageClaim claim(final int eventCount) throws InterruptedException
    {
        publisher.claim(this, eventCount);
        return this;
    }

    @Override
    public MarketEvent event(final int index)
    {
        if (Integer.compareUnsigned(index, size) >= 0) // index < 0 || index >= size
        {
            throw new IndexOutOfBoundsException(size == 0 ?
                "source '" + sourceName + "' has no claim: call claim(n) first" :
                "event " + index + " of a claim of " + size + " events");
        }
        final int flags = (index == 0 ? MarketEvent.FIRST_OF_MESSAGE : 0) | (index == size - 1 ? MarketEvent.LAST_OF_MESSAGE : 0);
        if (mode == RING)
        {
            return ringSlot(index).messageStamp(sourceId, flags); // the fast path: no switch
        }
        return slot(index).messageStamp(sourceId, flags);
    }

    @Override
    public int size()
    {
        return size;
    }

    @Override
    public boolean publish()
    {
        return publisher.publish(this);
    }

    int sourceId()
    {
        return sourceId;
    }

    String sourceName()
    {
        return sourceName;
    }

    int mode()
    {
        return mode;
    }

    /** @return where the claimed range begins: a ring sequence, an overflow position, or 0 for scratch. */
    long base()
    {
        return base;
    }

    /** Takes the claim {@code (mode, base, size)}. */
    void claimed(final int mode, final long base, final int size)
    {
        this.mode = mode;
        this.base = base;
        this.size = size;
    }

    /** Ends the claim ({@link #event} refuses every index until the next claim). */
    void released()
    {
        size = 0;
    }

    /** Records the claim being dropped as abandoned (before it is released), for {@link AbandonedClaims#reportDrop}. */
    void droppedClaim(final boolean inRing)
    {
        dropToReport = true;
        droppedInRing = inRing;
        droppedBase = base;
        droppedSize = size;
    }

    boolean hasDropToReport()
    {
        return dropToReport;
    }

    void dropReported()
    {
        dropToReport = false;
    }

    boolean droppedInRing()
    {
        return droppedInRing;
    }

    long droppedBase()
    {
        return droppedBase;
    }

    int droppedSize()
    {
        return droppedSize;
    }

    MarketEvent slot(final int index)
    {
        return switch (mode)
        {
            case RING -> ringSlot(index);
            case OVERFLOW -> overflow.slot(base + index);
            case DROPPED -> dropScratch[index];
            default -> throw new IllegalStateException("source '" + sourceName + "' has no claim");
        };
    }

    private MarketEvent ringSlot(final int index)
    {
        final MarketEvent[] slots = ringSlots;
        return slots[(int)(base + index) & (slots.length - 1)];
    }

    /**
     * Parks the calling fiber until the drainer reports room in the overflow queue.
     *
     * @throws InterruptedException when the reactor stops.
     */
    void awaitRoom() throws InterruptedException
    {
        roomBaton.reset();
        waitingForRoom = true;
        try
        {
            roomBaton.await();
        }
        finally
        {
            waitingForRoom = false;
        }
    }

    /** Wakes the fiber if it waits for room; reactor only. */
    void onRoom()
    {
        if (waitingForRoom)
        {
            roomBaton.post();
        }
    }
}
