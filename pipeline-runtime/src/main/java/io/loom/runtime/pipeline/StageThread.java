package io.loom.runtime.pipeline;

import com.lmax.disruptor.Cursored;
import com.lmax.disruptor.DataProvider;
import com.lmax.disruptor.Sequence;
import io.loom.api.event.MarketEvent;
import io.loom.api.stage.Stage;

import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One stage thread: the stages that share it, run in topology order for each event (a stage with a
 * thread of its own is the one-stage case), their start and stop, and what a batch of theirs adds to
 * the stages' work. Its {@link StageLoop} drives it on a platform thread; the reactor's stages are
 * one more, driven by {@link ReactorStages}.
 *
 * <pre>
 *   batch start ─▶ one latency sample (clock read) from the batch's first event, if it has a newer receive time
 *                  than the last batch's ─▶ count the batch, record the sample, per stage
 *   event n ─▶ head "books" ─▶ followers: "spread" (onThreadOf books) ─▶ event n + 1 …
 *   batch handled (gating thread: its StageLoop, before the next wait) ─▶ at the drainer's wake-up sequence? ─▶ signal room
 * </pre>
 *
 * <p>Per event it adds nothing to the stages' own work: counting is per batch, the latency sample
 * per batch that begins a newer frame, and the room check of a gating thread per batch, outside the
 * event loop ({@link #onBatchHandled}). A thread of one stage has its {@link StageLoop} call the
 * stage itself ({@link #soleStage}), with no {@code try} per event: the per-event exception handler
 * of {@link StageRunner#onEvent}, which keeps the event and its sequence for the policy, cost ~1 ns
 * per event on this machine (each diamond stage 4.0-5.0 ns per event against the raw Disruptor
 * handler's 2.4-3.8 on one core); the loop's {@code try} around the batch catches instead, and
 * {@link #onStageFailure} applies the policy. Threads of several stages, and the reactor's, go
 * through {@link #onEvent}, with a {@code try} per stage and event, since a failure must name its
 * stage and the others must still get the event. The head stage is called outside the loop over
 * the followers: with a loop over all stages, C2 kept the loop's state on the stack around every
 * stage call (some 20 spills and reloads per event, ~2 ns on this machine, more than the raw
 * Disruptor handler's whole cost), although almost every thread runs one stage.
 *
 * <p>A <em>gating</em> thread is one no other stage thread runs after: its sequence is one of those
 * that hold the ring's producer back, so it is the one to tell the {@link OverflowDrainer} that it
 * freed the room it waits for ({@link RingRoomSignal}). Its loop's batches are capped at
 * {@link #ROOM_CHECK_EVENTS} events and the loop calls {@link #onBatchHandled} before each wait,
 * once it has published the batch's end; the reactor's stages call it after each poll.
 *
 * <p>Thread-safety: the stage methods run on the stage thread; wiring and {@link #awaitStarted}
 * on the thread that builds and starts the pipeline.
 */
final class StageThread
{
    /**
     * The most events a gating thread's loop hands over as one batch, so that it looks at the
     * drainer's wake-up sequence at least this often. A gating stage that fell behind took the whole
     * ring as one batch; waiting for its end to release room would let the ring run empty before the
     * drainer and the source refill it, so producer and stages took turns instead of overlapping (the
     * diamond under saturation, every stage thread taking batches of most of the ring).
     */
    static final int ROOM_CHECK_EVENTS = 1024;

    private final String name;
    private final int cpu;
    private final StageRunner[] runners;
    private final StageRunner head;
    private final StageRunner[] followers;
    private final DataProvider<MarketEvent> ring;
    private final Cursored cursor;
    private final RingRoomSignal room;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Throwable startFailure;
    private volatile String failedStage;
    private volatile IllegalStateException pinningFailure;
    private Sequence sequence;
    /** The last sequence of the batch begun last: what a failure leaves of it ({@link #onStageFailure}). */
    private long batchLastSequence;
    /**
     * The receive time of the first event of the last batch that took a latency sample. A batch
     * whose first event has the same receive time (events of one frame, which a connector stamps
     * once per frame, split over several batches) takes none: its sample would measure that frame
     * again, a little later, for a clock read and a histogram write (~50 ns here), which a stage
     * trailing another closely pays every few events. So a frame counts once, from the first batch
     * that reaches it; a stage that falls behind within one frame shows in its next frame's sample.
     */
    private long sampledReceiveNs;

    /**
     * @param name    the thread's name, {@code <pipeline>-<owner stage>}.
     * @param cpu     the core to pin it to, or -1.
     * @param runners its stages, in topology order, at least one.
     * @param ring    the ring, read for the first event of each batch (its receive time).
     * @param cursor  the ring's cursor, read at the end of a batch when the drainer may be waiting.
     * @param room    the drainer's signal.
     */
    StageThread(final String name, final int cpu, final StageRunner[] runners, final DataProvider<MarketEvent> ring,
        final Cursored cursor, final RingRoomSignal room)
    {
        this.name = name;
        this.cpu = cpu;
        this.runners = runners;
        this.head = runners[0];
        this.followers = Arrays.copyOfRange(runners, 1, runners.length);
        this.ring = ring;
        this.cursor = cursor;
        this.room = room;
    }

    String name()
    {
        return name;
    }

    int cpu()
    {
        return cpu;
    }

    /** @return the sequence of this thread's loop, or of the reactor's poller (set when it was wired). */
    Sequence sequence()
    {
        return sequence;
    }

    /** @return how many stages the thread runs. */
    int stageCount()
    {
        return runners.length;
    }

    /**
     * The thread's one stage, which its {@link StageLoop} calls directly, without its runner's
     * {@code try} per event: the loop catches around the batch, and a {@link StageFailureHandler}
     * hands what it caught to {@link #onStageFailure}. Wiring only.
     *
     * @return the stage.
     * @throws IllegalStateException if the thread runs several stages: a failure could not be told apart.
     */
    Stage soleStage()
    {
        if (runners.length != 1)
        {
            throw new IllegalStateException(name + " runs " + runners.length + " stages; a failure could not be told apart");
        }
        return head.stage();
    }

    /** Called on the new thread, before its loop runs, when REQUIRED pinning was refused. */
    void pinningFailed(final IllegalStateException failure)
    {
        this.pinningFailure = failure;
    }

    /** @param sequenceCallback how far the thread has consumed: its loop's sequence or the reactor's poller's; wiring only. */
    void setSequenceCallback(final Sequence sequenceCallback)
    {
        this.sequence = sequenceCallback;
    }

    /** Starts the thread's stages ({@code Stage.onStart}) unless its pinning was refused; records a failure. The stage thread. */
    void onStart()
    {
        if (pinningFailure != null)
        {
            started.countDown(); // no stage starts on a thread that is not where it was required to be
            return;
        }
        String stage = null;
        try
        {
            for (final StageRunner runner : runners)
            {
                stage = runner.name();
                runner.start();
            }
        }
        catch (final Throwable error)
        {
            failedStage = stage == null ? runners[0].name() : stage;
            startFailure = error;
        }
        finally
        {
            started.countDown();
        }
    }

    /**
     * A batch begins: counts it for each stage and gives each the batch's latency sample, taken
     * here once for the thread from the batch's first event (the next after this thread's
     * sequence, which its loop has published up to the previous batch's end) — unless that
     * event was received at the same time as the previous batch's first event, see
     * {@link #sampledReceiveNs}. The stage thread.
     *
     * @param batchSize events in the batch.
     */
    void onBatchStart(final long batchSize)
    {
        final long first = sequence.get() + 1;
        batchLastSequence = first + batchSize - 1;
        final long receivedNs = ring.get(first).receiveTimeNs();
        final boolean newerFrame = receivedNs != sampledReceiveNs;
        sampledReceiveNs = receivedNs;
        final long latencyNs = newerFrame ? StageRunner.latencyNs(receivedNs) : StageRunner.NO_SAMPLE;
        head.onBatch(batchSize, latencyNs);
        final StageRunner[] followers = this.followers;
        for (int i = 0; i < followers.length; i++)
        {
            followers[i].onBatch(batchSize, latencyNs);
        }
    }

    /**
     * Hands one event to each of the thread's stages, each in its runner's {@code try}: a thread of
     * several stages, and the reactor's. The stage thread.
     *
     * @param event      the slot.
     * @param sequence   its ring sequence.
     * @param endOfBatch whether it ends the batch.
     */
    void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch)
    {
        head.onEvent(event, sequence, endOfBatch);
        final StageRunner[] followers = this.followers;
        for (int i = 0; i < followers.length; i++)
        {
            followers[i].onEvent(event, sequence, endOfBatch);
        }
    }

    /**
     * What this thread's one stage threw for an event, caught by its {@link StageLoop} (see
     * {@link #soleStage}): applies the stage's error policy as {@link StageRunner#onEvent}
     * does and takes back the batch's rest, which the loop hands over again as a new batch. The
     * loop then publishes the event's sequence and waits for the next, so a gating thread looks
     * at the drainer there. The stage thread.
     *
     * @param error    what the stage threw; a {@link VirtualMachineError} is rethrown.
     * @param sequence the event's sequence.
     * @param event    the event.
     */
    void onStageFailure(final Throwable error, final long sequence, final MarketEvent event)
    {
        final long rest = batchLastSequence - sequence;
        if (rest > 0)
        {
            head.uncount(rest);
        }
        head.onEventFailure(error, event, sequence);
    }

    /**
     * A gating thread has handled, and published its sequence up to, {@code sequence}: tells the
     * drainer if it waits for that room. When {@code sequence} is the ring's cursor (no later batch
     * will look again until something is published) a full fence comes first, between the sequence
     * the loop published and the read of the wake-up sequence: the drainer arms that sequence
     * before it reads the stages' sequences, so one of the two sees the other. A wake-up missed there
     * would leave the drainer to its fallback timer, which does not run while a replay's clock stands
     * still (see {@link RingRoomSignal}). Behind the cursor the next batch's end looks again. The
     * stage thread (the reactor for the reactor's stages).
     *
     * @param sequence the last sequence handled and published, -1 before the first event.
     */
    void onBatchHandled(final long sequence)
    {
        if (sequence == cursor.getCursor())
        {
            VarHandle.fullFence();
        }
        if (room.isDueAt(sequence))
        {
            room.onRoomFreed();
        }
    }

    /** Stops the thread's stages that started ({@code Stage.onStop}). The stage thread. */
    void onShutdown()
    {
        for (final StageRunner runner : runners)
        {
            runner.stop();
        }
    }

    /**
     * Waits until the thread has started its stages.
     *
     * @param timeoutNs how long to wait.
     * @return true if it started them (successfully or not) in time.
     * @throws InterruptedException if the waiting thread is interrupted.
     */
    boolean awaitStarted(final long timeoutNs) throws InterruptedException
    {
        return started.await(timeoutNs, TimeUnit.NANOSECONDS);
    }

    /** @return why REQUIRED pinning of this thread was refused, or null. */
    IllegalStateException pinningFailure()
    {
        return pinningFailure;
    }

    /** @return what a stage's {@code onStart} threw, or null. */
    Throwable startFailure()
    {
        return startFailure;
    }

    /** @return the stage whose start failed, or null. */
    String failedStage()
    {
        return failedStage;
    }
}
