package io.loom.runtime.pipeline;

import io.loom.api.fiber.FiberBody;

/**
 * The reactor fiber that empties the overflow queue into the ring as the stages free room, and
 * queues the STALE statuses owed after drops. It never polls: while there is a backlog it arms the
 * {@link RingRoomSignal} and parks until a gating stage signals that it freed room for the
 * backlog or for half the ring (half the ring whenever a source is parked on a full overflow
 * queue; or the 1 ms fallback passes); while a source is parked it keeps watching even with no
 * backlog, since only the drainer wakes it; otherwise it parks until a publisher queues or drops
 * a message.
 *
 * <pre>
 *   ┌─▶ arm ─▶ drain() ─▶ backlog or parked source? ─yes─▶ await(stage signal | publisher | 1 ms) ─┐
 *   │                        └─no──▶ disarm ─▶ await(publisher) ─────────────────────────────────┤
 *   └────────────────────────────────────────────────────────────────────────────────────────────┘
 * </pre>
 *
 * <p>Sources also drain inline when they claim, so a source that never parks still makes room;
 * this fiber covers the time when no source is publishing.
 *
 * <p>Thread-safety: the body of one fiber on the pipeline's reactor.
 */
final class OverflowDrainer implements FiberBody
{
    private final RingPublisher publisher;
    private final RingRoomSignal room;

    OverflowDrainer(final RingPublisher publisher, final RingRoomSignal room)
    {
        this.publisher = publisher;
        this.room = room;
    }

    /**
     * Drains until the reactor stops.
     *
     * @throws InterruptedException when the reactor stops.
     */
    @Override
    public void run() throws InterruptedException
    {
        while (true)
        {
            room.arm(publisher.roomWakeSequence()); // before drain() reads the gating sequences: a stage that frees room after that read posts
            publisher.drain();
            if (publisher.hasBacklog() || publisher.hasSourcesAwaitingRoom())
            {
                room.await(RingRoomSignal.FALLBACK_NS);
            }
            else
            {
                room.disarm();
                room.await(Long.MAX_VALUE);
            }
        }
    }
}
