package io.loom.runtime.pipeline;

import com.lmax.disruptor.EventProcessor;
import io.loom.runtime.affinity.CorePinner;
import io.loom.runtime.affinity.CorePinning;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;

/**
 * Makes the platform threads the Disruptor runs the stage threads' {@link StageLoop}s on: named
 * {@code <pipeline>-<stage>}, daemon (a pipeline that is never closed does not keep the JVM
 * alive), and pinned to the stage's core with {@link CorePinning} when one was requested; under
 * REQUIRED pinning a refusal is handed to the {@link StageThread}, which then starts none of its
 * stages and reports the failure. A loop is matched to its {@link StageThread} by the
 * sequence it handed the thread when it was wired.
 *
 * <p>Thread-safety: {@link #newThread} is called by the thread that starts the pipeline;
 * {@link #threads()} and {@link #isStageThread} may be called from any thread.
 */
final class StageThreadFactory implements ThreadFactory
{
    private final CorePinner pinner;
    private final boolean pinningRequired;
    private final List<StageThread> stageThreads = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param pinner          how stage threads pin themselves.
     * @param pinningRequired true if a stage thread that cannot be pinned must fail the start.
     */
    StageThreadFactory(final CorePinner pinner, final boolean pinningRequired)
    {
        this.pinner = pinner;
        this.pinningRequired = pinningRequired;
    }

    /** @param stageThread a stage thread to make a thread for when its loop starts; wiring only. */
    synchronized void register(final StageThread stageThread)
    {
        stageThreads.add(stageThread);
    }

    @Override
    public synchronized Thread newThread(final Runnable processor)
    {
        if (processor instanceof EventProcessor eventProcessor)
        {
            for (final StageThread stageThread : stageThreads)
            {
                if (stageThread.sequence() == eventProcessor.getSequence())
                {
                    final Thread thread = new Thread(() ->
                    {
                        try
                        {
                            CorePinning.pinCurrentThread(pinner, stageThread.cpu(), "stage thread '" + stageThread.name() + "'", pinningRequired);
                        }
                        catch (final IllegalStateException ex)
                        {
                            stageThread.pinningFailed(ex);
                        }
                        processor.run();
                    }, stageThread.name());
                    thread.setDaemon(true);
                    threads.add(thread);
                    return thread;
                }
            }
        }
        throw new IllegalStateException("no stage thread is wired to " + processor);
    }

    /** @return the threads made so far. */
    synchronized List<Thread> threads()
    {
        return List.copyOf(threads);
    }

    /** @return true if the calling thread is one of the stage threads. */
    synchronized boolean isStageThread()
    {
        return threads.contains(Thread.currentThread());
    }
}
