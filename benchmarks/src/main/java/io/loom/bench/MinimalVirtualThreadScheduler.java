package io.loom.bench;

import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The least a custom virtual-thread scheduler can be: one busy-spinning platform thread that runs
 * the tasks its virtual threads submit, a local queue for wake-ups made on that thread and an MPSC
 * queue for the rest. No selector, no timers, no slow-slice clock, no counters, no error handling:
 * it isolates what the JDK's virtual-thread machinery costs from what {@code FiberScheduler} adds.
 *
 * <pre>
 *   execute(task) on the carrier or from one of its virtual threads ──▶ local ArrayDeque ─┐
 *   execute(task) from any other platform thread ─────────────────────▶ MPSC queue ───────┴─▶ carrier loop
 * </pre>
 *
 * <p>It assumes every virtual thread that submits a task is one of its own (true in the
 * benchmark, not in general), so it can skip the check Loom's reactor must make. Needs
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED}. Benchmarks only.
 *
 * <p>Thread-safety: {@link #execute} from any thread; {@link #stop()} from one thread.
 */
final class MinimalVirtualThreadScheduler implements Executor
{
    private final ArrayDeque<Runnable> local = new ArrayDeque<>(64);
    private final ManyToOneConcurrentArrayQueue<Runnable> remote = new ManyToOneConcurrentArrayQueue<>(1024);
    private final Thread carrier;
    private final Thread.Builder.OfVirtual builder;
    private volatile boolean running = true;

    MinimalVirtualThreadScheduler()
    {
        carrier = Thread.ofPlatform().daemon().name("minimal-carrier").unstarted(this::loop);
        builder = virtualThreadBuilder(this);
        carrier.start();
    }

    /** @return a builder of virtual threads scheduled by this scheduler. */
    Thread.Builder.OfVirtual builder()
    {
        return builder;
    }

    @Override
    public void execute(final Runnable task)
    {
        final Thread current = Thread.currentThread();
        if (current == carrier || current.isVirtual())
        {
            // a virtual thread calling here is one of ours (the benchmark has no others), so it
            // runs on the carrier: the JDK submits with the virtual thread still current
            local.addLast(task);
            return;
        }
        while (!remote.offer(task))
        {
            Thread.onSpinWait();
        }
    }

    /** Ends the carrier loop and waits, bounded, for it. */
    void stop() throws InterruptedException
    {
        running = false;
        carrier.join(TimeUnit.SECONDS.toMillis(10));
    }

    private void loop()
    {
        final ArrayDeque<Runnable> local = this.local;
        while (running)
        {
            Runnable task = local.pollFirst();
            if (task == null)
            {
                task = remote.poll();
            }
            if (task != null)
            {
                task.run();
            }
            else
            {
                Thread.onSpinWait();
            }
        }
    }

    private static Thread.Builder.OfVirtual virtualThreadBuilder(final Executor scheduler)
    {
        try
        {
            final Class<?> builderClass = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            final MethodHandle constructor = MethodHandles.privateLookupIn(builderClass, MethodHandles.lookup())
                .findConstructor(builderClass, MethodType.methodType(void.class, Executor.class));
            return (Thread.Builder.OfVirtual)constructor.invoke(scheduler);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException("needs --add-opens java.base/java.lang=ALL-UNNAMED", ex);
        }
    }
}
