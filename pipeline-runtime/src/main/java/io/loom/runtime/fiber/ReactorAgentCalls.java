package io.loom.runtime.fiber;

import org.agrona.concurrent.Agent;

/**
 * How a reactor calls its {@link Agent} ({@link FiberSchedulerContext#agent}): what the agent throws
 * is reported with its role name and counted as a fiber failure, and never ends the reactor's loop.
 *
 * <p>Not thread-safe: the reactor thread only.
 */
final class ReactorAgentCalls
{
    private final Agent agent;
    private final FiberReporter reporter;
    private final ReactorCounters counters;

    ReactorAgentCalls(final Agent agent, final FiberReporter reporter, final ReactorCounters counters)
    {
        this.agent = agent;
        this.reporter = reporter;
        this.counters = counters;
    }

    /** Before the reactor's first pass. */
    void start()
    {
        try
        {
            agent.onStart();
        }
        catch (final RuntimeException ex)
        {
            onFailure(ex);
        }
    }

    /** @return the work the agent did, 0 if it threw. */
    int doWork()
    {
        try
        {
            return agent.doWork();
        }
        catch (final Exception ex)
        {
            onFailure(ex);
            return 0;
        }
    }

    /** After the reactor's last pass. */
    void close()
    {
        try
        {
            agent.onClose();
        }
        catch (final RuntimeException ex)
        {
            onFailure(ex);
        }
    }

    private void onFailure(final Exception error)
    {
        ReactorCounters.increment(counters.fiberFailures);
        try
        {
            reporter.onFiberFailure("agent " + agent.roleName(), error);
        }
        catch (final RuntimeException ignore)
        {
            // a failing reporter must not take the reactor down with it
        }
    }
}
