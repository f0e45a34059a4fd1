package io.loom.runtime.fiber;

import io.loom.api.fiber.FiberBody;

/**
 * The reactor's record of one fiber: its name, its virtual thread, the task the thread submits
 * when runnable (to name it in reports) and a private baton for sleeps. Its {@link #run()} is the
 * fiber's outermost frame: it reports what escapes the body and tells the reactor the fiber ended.
 *
 * <p>Thread-safety: created by the spawning thread, then used only on its reactor.
 */
final class Fiber implements Runnable
{
    final String name;
    final FiberScheduler reactor;
    final FiberBaton sleepBaton = new FiberBaton();
    private final FiberBody body;
    Thread thread;
    Runnable task;

    Fiber(final String name, final FiberScheduler reactor, final FiberBody body)
    {
        this.name = name;
        this.reactor = reactor;
        this.body = body;
    }

    @Override
    public void run()
    {
        FiberScheduler.CURRENT_FIBER.set(this);
        try
        {
            body.run();
        }
        catch (final Throwable error)
        {
            reactor.onFiberFailure(this, error);
        }
        finally
        {
            reactor.onFiberEnd(this);
        }
    }

    @Override
    public String toString()
    {
        return "Fiber{" + name + '}';
    }
}
