package io.loom.runtime.pipeline;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.EventProcessor;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.Sequencer;
import com.lmax.disruptor.TimeoutException;
import io.loom.api.event.MarketEvent;
import io.loom.api.stage.Stage;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event processor of one {@link StageThread}: Loom's own consumer loop on the Disruptor's own
 * parts, in place of the Disruptor's {@code BatchEventProcessor}. It waits on a Disruptor
 * {@link SequenceBarrier} (the pipeline's wait strategy, the threads it runs after, alerted to halt),
 * reads the {@link RingBuffer}, publishes its progress in a Disruptor {@link Sequence} that gates the
 * ring or the threads after it, and is started, halted and drained by the Disruptor's DSL like any
 * processor; only the loop that calls the stage is Loom's.
 *
 * <pre>
 *   gating thread: look at the drainer (StageThread.onBatchHandled(next - 1)) ─┐
 *   ┌──────────────────────────────────────────────────────────────────────────┘
 *   └▶ barrier.waitFor(next) ─▶ batch next..end (gating: at most ROOM_CHECK_EVENTS)
 *        ─▶ StageThread.onBatchStart (count, latency sample) ─▶ stage.onEvent per event ─▶ sequence.set(end) ─▶ …
 *   a stage throws at s: its error policy (StageFailureHandler) ─▶ sequence.set(s) ─▶ the rest as a new batch
 * </pre>
 *
 * <p>Why its own loop: the Disruptor's processor calls an {@code EventHandler}, which for a thread of
 * one stage had to be the {@link StageThread} calling the stage, one hop (a load, a null test, a class
 * check) per event, the gating stage's +1.5 ns per event over a raw handler (pipe13, pipe17 in
 * benchmarks/README.md). Here the thread's one stage is called directly, one call per event; a thread
 * of several stages is called as the {@link Stage} {@code StageThread::onEvent}, with a {@code try}
 * per stage. Batches, their counting and latency sample, the room signal and the failure path keep
 * the Disruptor processor's semantics: a failed event's sequence is published and the loop resumes
 * behind it with a new batch.
 *
 * <p>Thread-safety: {@link #run} on the stage thread; {@link #halt}, {@link #isRunning} and
 * {@link #getSequence} from any thread.
 */
final class StageLoop implements EventProcessor
{
    private static final int IDLE = 0;
    private static final int HALTED = 1;
    private static final int RUNNING = 2;

    private final AtomicInteger running = new AtomicInteger(IDLE);
    private final Sequence sequence = new Sequence(Sequencer.INITIAL_CURSOR_VALUE);
    private final RingBuffer<MarketEvent> ring;
    private final SequenceBarrier barrier;
    private final StageThread thread;
    private final Stage stage;
    private final ExceptionHandler<MarketEvent> failures;
    private final boolean gating;
    private final long batchLimitOffset;

    /**
     * @param ring     the ring it reads.
     * @param barrier  the Disruptor's barrier of the threads it runs after (the ring's cursor for none).
     * @param thread   its stage thread; it gets this loop's sequence.
     * @param stage    what each event is handed to: the thread's one stage, or {@code thread::onEvent} for several.
     * @param failures what {@code stage} throws goes to: a {@link StageFailureHandler} for one stage, else the backstop.
     * @param gating   true if no thread runs after it: batches of at most {@link StageThread#ROOM_CHECK_EVENTS}
     *                 and a look at the drainer before each wait.
     */
    StageLoop(final RingBuffer<MarketEvent> ring, final SequenceBarrier barrier, final StageThread thread, final Stage stage,
        final ExceptionHandler<MarketEvent> failures, final boolean gating)
    {
        this.ring = ring;
        this.barrier = barrier;
        this.thread = thread;
        this.stage = stage;
        this.failures = failures;
        this.gating = gating;
        this.batchLimitOffset = gating ? StageThread.ROOM_CHECK_EVENTS - 1 : Integer.MAX_VALUE;
        thread.setSequenceCallback(sequence);
    }

    @Override
    public Sequence getSequence()
    {
        return sequence;
    }

    /** Stops the loop at its next wait (or at once, if it has not run yet); its stages are then stopped on its thread. */
    @Override
    public void halt()
    {
        running.set(HALTED);
        barrier.alert();
    }

    @Override
    public boolean isRunning()
    {
        return running.get() != IDLE;
    }

    /**
     * Starts the thread's stages, handles events until halted, stops the stages. Halted before it
     * ran, it still starts and stops them, as the Disruptor's processor does, so whoever waits for
     * the start is answered.
     *
     * @throws IllegalStateException if it is already running.
     */
    @Override
    public void run()
    {
        final int witness = running.compareAndExchange(IDLE, RUNNING);
        if (witness == RUNNING)
        {
            throw new IllegalStateException(thread.name() + " is already running");
        }
        if (witness == HALTED)
        {
            thread.onStart();
            shutdown();
            running.set(IDLE);
            return;
        }
        barrier.clearAlert();
        thread.onStart();
        try
        {
            if (running.get() == RUNNING)
            {
                processEvents();
            }
        }
        finally
        {
            shutdown();
            running.set(IDLE);
        }
    }

    private void processEvents()
    {
        // ring and stage are read from the fields per event, as the Disruptor's processor reads its
        // own: held in locals, 1P-1C measured ~5 % slower (loop18 in benchmarks/README.md)
        MarketEvent event = null;
        long next = sequence.get() + 1;
        while (true)
        {
            try
            {
                if (gating)
                {
                    thread.onBatchHandled(next - 1);
                }
                final long available = barrier.waitFor(next);
                final long end = Math.min(next + batchLimitOffset, available);
                if (next <= end)
                {
                    thread.onBatchStart(end - next + 1);
                    while (next <= end)
                    {
                        event = ring.get(next);
                        stage.onEvent(event, next, next == end);
                        next++;
                    }
                    sequence.set(end);
                }
            }
            catch (final AlertException ex)
            {
                if (running.get() != RUNNING)
                {
                    return;
                }
            }
            catch (final TimeoutException ex)
            {
                // a wait strategy's timed block ran out (BACK_OFF's, by design): wait again
            }
            catch (final InterruptedException ex)
            {
                failures.handleEventException(ex, next, null); // not the stage's: no event is lost, the loop waits again
            }
            catch (final Throwable ex)
            {
                failures.handleEventException(ex, next, event);
                sequence.set(next);
                next++;
            }
        }
    }

    private void shutdown()
    {
        try
        {
            thread.onShutdown();
        }
        catch (final Throwable ex)
        {
            failures.handleOnShutdownException(ex);
        }
    }
}
