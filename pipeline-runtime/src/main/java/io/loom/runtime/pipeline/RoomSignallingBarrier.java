package io.loom.runtime.pipeline;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;

/**
 * The sequence barrier of a gating stage thread's event processor: before each wait for the next
 * events it has the {@link StageThread} look at the drainer's wake-up sequence
 * ({@link StageThread#onBatchHandled}), then waits as the Disruptor's own barrier does.
 *
 * <pre>
 *   processor:  waitFor(n) ─▶ batch n..m (at most ROOM_CHECK_EVENTS) ─▶ sequence.set(m) ─▶ waitFor(m + 1) ─▶ …
 *                 └─ here: onBatchHandled(n - 1) ─▶ room signal if the drainer waits for n - 1
 * </pre>
 *
 * <p>The processor calls {@code waitFor(n)} only once it has published its sequence as
 * {@code n - 1}: after the batch before, after a failed event it resumes behind, and at its start.
 * With the processor's batches capped at {@link StageThread#ROOM_CHECK_EVENTS}, that is at least
 * every 1,024 events, and the event loop itself carries no room check and no call: a call there,
 * however rare, made C2 keep the loop's state on the stack around it (pipe11, pipe12 in
 * benchmarks/README.md).
 *
 * <p>Thread-safety: {@link #waitFor} on the stage thread; the rest as the barrier it wraps.
 */
final class RoomSignallingBarrier implements SequenceBarrier
{
    private final SequenceBarrier barrier;
    private final StageThread thread;

    /**
     * @param barrier the Disruptor's barrier for the thread's processor.
     * @param thread  the gating stage thread the processor drives.
     */
    RoomSignallingBarrier(final SequenceBarrier barrier, final StageThread thread)
    {
        this.barrier = barrier;
        this.thread = thread;
    }

    @Override
    public long waitFor(final long sequence) throws AlertException, InterruptedException, TimeoutException
    {
        thread.onBatchHandled(sequence - 1);
        return barrier.waitFor(sequence);
    }

    @Override
    public long getCursor()
    {
        return barrier.getCursor();
    }

    @Override
    public boolean isAlerted()
    {
        return barrier.isAlerted();
    }

    @Override
    public void alert()
    {
        barrier.alert();
    }

    @Override
    public void clearAlert()
    {
        barrier.clearAlert();
    }

    @Override
    public void checkAlert() throws AlertException
    {
        barrier.checkAlert();
    }
}
