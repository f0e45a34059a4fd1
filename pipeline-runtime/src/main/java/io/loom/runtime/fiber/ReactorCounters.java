package io.loom.runtime.fiber;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Monotonic counters of one reactor: fibers started and ended, failures, slow slices, fiber runs,
 * timers fired, selector wake-ups, idle blocks and yields to the agent.
 *
 * <p>Thread-safety: written by the reactor thread (fibers started also by spawning threads), read
 * from any thread. Reads are not a consistent snapshot across counters.
 */
public final class ReactorCounters
{
    final AtomicLong fibersStarted = new AtomicLong();
    final AtomicLong fibersEnded = new AtomicLong();
    final AtomicLong fiberFailures = new AtomicLong();
    final AtomicLong slowSlices = new AtomicLong();
    final AtomicLong fiberRuns = new AtomicLong();
    final AtomicLong timersFired = new AtomicLong();
    final AtomicLong channelsReady = new AtomicLong();
    final AtomicLong handlerFailures = new AtomicLong();
    final AtomicLong idleBlocks = new AtomicLong();
    final AtomicLong agentRunsBeforeRead = new AtomicLong();

    ReactorCounters()
    {
    }

    /** @return fibers spawned on the reactor. */
    public long fibersStarted()
    {
        return fibersStarted.get();
    }

    /** @return fibers that ended, normally or not. */
    public long fibersEnded()
    {
        return fibersEnded.get();
    }

    /** @return fibers that ended with an exception other than an interrupt during stop, and agent calls that threw. */
    public long fiberFailures()
    {
        return fiberFailures.get();
    }

    /** @return run slices longer than the slow-slice threshold. */
    public long slowSlices()
    {
        return slowSlices.get();
    }

    /** @return fiber run slices (each resumption of a fiber counts one). */
    public long fiberRuns()
    {
        return fiberRuns.get();
    }

    /** @return timer firings, periodic ones counted each time. */
    public long timersFired()
    {
        return timersFired.get();
    }

    /** @return channel readiness events delivered by the selector. */
    public long channelsReady()
    {
        return channelsReady.get();
    }

    /** @return channel readiness handlers that threw; their keys were cancelled. */
    public long handlerFailures()
    {
        return handlerFailures.get();
    }

    /**
     * @return times the idle reactor blocked (in the selector, or parked) until a deadline, a ready
     *         channel or a wake-up: each costs a wake-up when work comes; 0 unless it idles with
     *         {@link ReactorIdle#BACK_OFF}.
     */
    public long idleBlocks()
    {
        return idleBlocks.get();
    }

    /**
     * @return times the reactor's agent ran on a fiber about to read its socket, to handle the work
     *         waiting for it first ({@link FiberScheduler#runPendingAgentWork}).
     */
    public long agentRunsBeforeRead()
    {
        return agentRunsBeforeRead.get();
    }

    /** Adds one, by the single writer: no contended atomic on the reactor's hot path. */
    static void increment(final AtomicLong counter)
    {
        counter.lazySet(counter.get() + 1);
    }

    static void add(final AtomicLong counter, final long delta)
    {
        counter.lazySet(counter.get() + delta);
    }

    @Override
    public String toString()
    {
        return "ReactorCounters{fibersStarted=" + fibersStarted() + ", fibersEnded=" + fibersEnded() +
            ", fiberFailures=" + fiberFailures() + ", slowSlices=" + slowSlices() + ", fiberRuns=" + fiberRuns() +
            ", timersFired=" + timersFired() + ", channelsReady=" + channelsReady() + ", handlerFailures=" + handlerFailures() +
            ", idleBlocks=" + idleBlocks() + ", agentRunsBeforeRead=" + agentRunsBeforeRead() + '}';
    }
}
