package io.loom.cli.fibers;

import io.loom.api.fiber.Baton;
import io.loom.api.fiber.FiberBody;
import io.loom.runtime.fiber.FiberBaton;
import io.loom.runtime.fiber.FiberScheduler;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Spawns many short fibers on one reactor and checks that every one of them runs to its end on that
 * reactor: inside each fiber {@link FiberScheduler#inReactor()} must be true and the thread must be
 * virtual (a fiber, not the reactor's platform thread running the body directly).
 *
 * <p>Thread-safety: {@link #run} is called once, by one platform thread. The fiber bodies count
 * with atomics, so the counts stay exact, and readable after a timeout, even if fibers were to run
 * concurrently, which is what the check looks for.
 */
final class SpawnCheck implements FiberBody
{
    private final FiberScheduler reactor;
    private final int fibers;
    private final Baton allCompleted = new FiberBaton();
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger offReactor = new AtomicInteger();

    /** The outcome: how many fibers were spawned, completed and ran off the reactor, and how long it took. */
    record Result(int spawned, int completed, int offReactor, long elapsedNs, boolean finished)
    {
        boolean passed()
        {
            return finished && completed == spawned && offReactor == 0;
        }

        CheckLine line()
        {
            return CheckLine.of("spawn", passed(), Units.count(spawned) + " fibers spawned, " +
                Units.count(completed) + " completed on the reactor thread in " + Units.millis(elapsedNs) +
                (offReactor == 0 ? "" : "; " + Units.count(offReactor) + " ran off the reactor") +
                (finished ? "" : "; timed out"));
        }
    }

    SpawnCheck(final FiberScheduler reactor, final int fibers)
    {
        this.reactor = reactor;
        this.fibers = fibers;
    }

    /**
     * Spawns the fibers and waits for the last one to finish.
     *
     * @param timeoutNs longest wait for all fibers to complete.
     * @return the outcome.
     * @throws InterruptedException if the calling thread is interrupted while waiting.
     */
    Result run(final long timeoutNs) throws InterruptedException
    {
        final long startNs = System.nanoTime();
        for (int i = 0; i < fibers; i++)
        {
            reactor.spawn("spawn-" + i, this);
        }
        final boolean finished = allCompleted.await(timeoutNs, TimeUnit.NANOSECONDS);
        final long elapsedNs = System.nanoTime() - startNs;
        return new Result(fibers, completed.get(), offReactor.get(), elapsedNs, finished);
    }

    /** The body of every spawned fiber: the carrier check, then count. Runs on the reactor only. */
    @Override
    public void run()
    {
        if (!reactor.inReactor() || !Thread.currentThread().isVirtual())
        {
            offReactor.incrementAndGet();
        }
        if (completed.incrementAndGet() == fibers)
        {
            allCompleted.post();
        }
    }
}
