package io.loom.runtime.pipeline;

import com.lmax.disruptor.ExceptionHandler;
import io.loom.api.event.MarketEvent;

/**
 * The Disruptor exception handler of a stage thread of one stage, which its {@link StageLoop} calls
 * unguarded ({@link StageThread#soleStage}): the loop's own {@code try} around the batch
 * catches what the stage throws, and this hands it to the stage's error policy
 * ({@link StageThread#onStageFailure}); the loop then goes on with the next event. Fatal
 * errors, failures of the policy itself and of the thread's start and shutdown go to the
 * {@link BackstopExceptionHandler}, as from any other stage thread.
 *
 * <p>What the loop catches outside the stage's {@code onEvent} (in {@code onBatchStart} or
 * the room signal, which throw nothing they are known to) would count against the stage too.
 *
 * <p>Thread-safety: called on the stage thread only.
 */
final class StageFailureHandler implements ExceptionHandler<MarketEvent>
{
    private final StageThread thread;
    private final BackstopExceptionHandler backstop;

    StageFailureHandler(final StageThread thread, final BackstopExceptionHandler backstop)
    {
        this.thread = thread;
        this.backstop = backstop;
    }

    @Override
    public void handleEventException(final Throwable ex, final long sequence, final MarketEvent event)
    {
        if (event == null)
        {
            backstop.handleEventException(ex, sequence, null); // before the thread's first event: not the stage's
            return;
        }
        try
        {
            thread.onStageFailure(ex, sequence, event);
        }
        catch (final Throwable fatalOrPolicyFailure)
        {
            backstop.handleEventException(fatalOrPolicyFailure, sequence, event);
        }
    }

    @Override
    public void handleOnStartException(final Throwable ex)
    {
        backstop.handleOnStartException(ex);
    }

    @Override
    public void handleOnShutdownException(final Throwable ex)
    {
        backstop.handleOnShutdownException(ex);
    }
}
