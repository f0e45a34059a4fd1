package io.loom.runtime.pipeline;

import io.loom.runtime.fiber.FiberBaton;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Padding before the wake-up sequence: it is read by every gating stage thread after each batch (at most 1,024 events). */
abstract class RingRoomSignalLhsPadding
{
    byte p000, p001, p002, p003, p004, p005, p006, p007, p010, p011, p012, p013, p014, p015, p016, p017;
    byte p020, p021, p022, p023, p024, p025, p026, p027, p030, p031, p032, p033, p034, p035, p036, p037;
    byte p040, p041, p042, p043, p044, p045, p046, p047, p050, p051, p052, p053, p054, p055, p056, p057;
    byte p060, p061, p062, p063, p064, p065, p066, p067, p070, p071, p072, p073, p074, p075, p076, p077;
}

/** The wake-up sequence, alone on its cache line. */
abstract class RingRoomSignalFields extends RingRoomSignalLhsPadding
{
    volatile long wakeAtSequence = Long.MAX_VALUE;
}

/** Padding after the wake-up sequence. */
abstract class RingRoomSignalRhsPadding extends RingRoomSignalFields
{
    byte p100, p101, p102, p103, p104, p105, p106, p107, p110, p111, p112, p113, p114, p115, p116, p117;
    byte p120, p121, p122, p123, p124, p125, p126, p127, p130, p131, p132, p133, p134, p135, p136, p137;
    byte p140, p141, p142, p143, p144, p145, p146, p147, p150, p151, p152, p153, p154, p155, p156, p157;
    byte p160, p161, p162, p163, p164, p165, p166, p167, p170, p171, p172, p173, p174, p175, p176, p177;
}

/**
 * How the consumers tell the reactor that the ring has room again, so the overflow queue drains
 * without anyone polling: the {@link OverflowDrainer} fiber arms the signal with a <em>wake-up
 * sequence</em> while the overflow queue (or a STALE status) waits, then parks on the baton; each
 * gating stage thread (one whose sequence gates the ring) compares the batch it just finished (and
 * published) with that sequence and, once it has reached it, posts the baton, which wakes the reactor.
 *
 * <pre>
 *   drainer (reactor):  reset baton ─▶ wakeAt = cursor - ring + room wanted (past gating) ─▶ drain ─▶ await(1 ms)
 *   gating stage:       batch done (at most 1,024 events), sequence published ─▶ seq &gt;= wakeAt? ─yes─▶ baton.post()
 * </pre>
 *
 * <p>The wake-up sequence is where the ring has room for the whole backlog, or for half the ring
 * if the backlog is larger or a source is parked on a full overflow queue (it then resumes into
 * half a ring of room): a wake-up (a cross-thread unpark the stage pays for) then moves a
 * long run of events with one claim and one publish, and the stages still have half a ring of
 * events to work on while the drainer refills it. Signalling at every end of batch instead cost
 * a stage an unpark per batch and the reactor a wake-up per few events under saturation. Looking
 * only at the end of an uncapped batch was too late when a stage took most of the ring as one
 * batch: the ring ran empty before it signalled; a gating stage's batches are therefore capped
 * (see {@link StageThread#ROOM_CHECK_EVENTS}).
 *
 * <p>When nothing waits the sequence is {@code Long.MAX_VALUE} and a stage pays one load per
 * batch, outside its event loop ({@link StageLoop}). Inside a run of batches nothing
 * orders the stage's read of it after the store that published its sequence, so in a narrow race
 * (the drainer arms just after the stage read, and reads the stage's sequence just before the
 * store is seen) that batch's wake-up is missed and the next batch's end looks again. The batch
 * that reaches the ring's cursor has no next batch: there a full fence separates the published
 * sequence from the read of the wake-up sequence ({@code StageThread.onBatchHandled}), so the
 * stages that empty the ring never miss it. That matters beyond latency: the drainer's timed
 * fallback ({@link #FALLBACK_NS}) runs on the pipeline's clock, which stands still while a replay
 * waits for room. The fence is paid only by a batch that catches up with the producer, off the hot
 * path of a stage that has work queued.
 *
 * <p>Thread-safety: {@link #arm}, {@link #disarm}, {@link #await} belong to the drainer
 * fiber; {@link #onRoomFreed} is called by stage threads; {@link #wake()} by the reactor.
 */
final class RingRoomSignal extends RingRoomSignalRhsPadding
{
    /** The drainer's fallback: how long it waits for a stage's signal before it looks anyway. */
    static final long FALLBACK_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final FiberBaton baton = new FiberBaton();
    private final AtomicLong stageSignals = new AtomicLong();

    /**
     * Prepares the next wait and asks the gating stages to signal once they have handled
     * {@code sequence}; drainer only.
     *
     * @param sequence the ring sequence whose consumption frees the room the drainer waits for.
     */
    void arm(final long sequence)
    {
        baton.reset();
        wakeAtSequence = sequence;
    }

    /** Stops the stages' signals: nothing waits for room; drainer only. */
    void disarm()
    {
        baton.reset();
        wakeAtSequence = Long.MAX_VALUE;
    }

    /**
     * Parks the drainer until a stage or a publisher signals, or {@code timeoutNs} passes.
     *
     * @param timeoutNs the fallback period, or {@code Long.MAX_VALUE} to wait for a signal only.
     * @throws InterruptedException when the reactor stops.
     */
    void await(final long timeoutNs) throws InterruptedException
    {
        if (timeoutNs == Long.MAX_VALUE)
        {
            baton.await();
        }
        else
        {
            baton.await(timeoutNs, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * @param sequence the last sequence a gating stage handled.
     * @return true if the drainer waits for the room that handling it freed.
     */
    boolean isDueAt(final long sequence)
    {
        return sequence >= wakeAtSequence;
    }

    /** Wakes the drainer: a message went to the overflow queue, or a message was dropped; reactor only. */
    void wake()
    {
        baton.post();
    }

    /** A gating stage freed room (its sequence is published); wakes the drainer. Any thread. */
    void onRoomFreed()
    {
        stageSignals.incrementAndGet();
        baton.post();
    }

    /** @return how many times stages signalled freed room (only when they reached the wake-up sequence). */
    long stageSignals()
    {
        return stageSignals.get();
    }
}
