package io.loom.runtime.fiber;

import io.loom.api.fiber.Baton;
import io.loom.api.fiber.FiberBody;
import io.loom.api.fiber.NanoClock;
import io.loom.api.fiber.Reactor;
import io.loom.api.fiber.TimerHandler;
import io.loom.runtime.affinity.CorePinning;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The reactor: one platform thread that runs many fibers (JDK virtual threads whose scheduler is
 * this reactor), M:1, together with the NIO selector and the timer wheel they wait on.
 *
 * <pre>
 *   spawn / unpark from other threads ──▶ MPSC run queue ─┐
 *   unpark on the reactor (fibers, timers, selector) ─────┼─▶ local run queue
 *                                                         │
 *   loop: run ready fibers (bounded batch; the slice hook and the agent, if any, after each slice) ─▶ selectNow ─▶ expire timers ─▶ agent ─▶ idle strategy
 *         (selectNow and select only while channels are registered; back-off idling blocks in
 *          select, or parks when there is no channel, until the next deadline)
 * </pre>
 *
 * <p>A fiber that parks ({@link java.util.concurrent.locks.LockSupport#park()}, a {@link Baton},
 * a socket wait, {@link #sleepNs}) yields the reactor thread to the next ready fiber; each park and
 * resume costs a continuation yield and a queue hop, and allocates nothing. A run slice longer
 * than the configured threshold, and any exception that escapes a fiber, is reported with the
 * fiber's name and counted; neither stops the reactor.
 *
 * <p>Thread-safety: {@link #start()}, {@link #stop()}, {@link #spawn}, {@link #wakeup()} and the
 * counters may be used from any thread. Timers, sleeps and channel registration belong to the
 * reactor: its fibers and the handlers it runs.
 */
public final class FiberScheduler implements Reactor, AutoCloseable
{
    static final ThreadLocal<Fiber> CURRENT_FIBER = new ThreadLocal<>();

    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int STOPPING = 2;
    private static final int STOPPED = 3;
    private static final long PINNING_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final FiberSchedulerContext context;
    private final String name;
    private final NanoClock clock;
    private final Thread.Builder.OfVirtual fiberBuilder;
    private final ArrayDeque<Runnable> localRunQueue = new ArrayDeque<>(1 << 14);
    private final ManyToOneConcurrentArrayQueue<Runnable> remoteRunQueue;
    private final Consumer<Runnable> toLocalRunQueue = localRunQueue::addLast;
    private final ConcurrentHashMap<Runnable, Fiber> fibersByTask = new ConcurrentHashMap<>();
    private final Selector selector;
    private final Consumer<SelectionKey> onSelected = this::onSelected;
    private final ReactorTimers timers;
    private final IdleStrategy idleStrategy;
    private final FiberReporter reporter;
    private final ReactorCounters counters = new ReactorCounters();
    private final int runBatchSize;
    private final long slowSliceThresholdNs;
    private final boolean timeSlices;
    private final ReactorAgentCalls agent;
    private final FiberSliceHook sliceHook;
    private final BooleanSupplier agentWorkPending;
    private final Thread reactorThread;
    private final CountDownLatch pinningDone = new CountDownLatch(1);

    private volatile int state = NEW;
    private volatile boolean blocked;
    private volatile boolean pinned;
    private volatile IllegalStateException pinningFailure;
    private Fiber endedFiber;
    private final SocketReadStamps socketReads;

    /**
     * Creates a reactor; {@link #start()} starts its thread.
     *
     * @param context the configuration, concluded here if it was not yet.
     * @throws IllegalStateException if the JVM refuses the custom fiber scheduler (the message names
     *                               the missing flag) or the selector cannot be opened.
     */
    public FiberScheduler(final FiberSchedulerContext context)
    {
        this.context = context.isConcluded() ? context : context.conclude();
        this.name = context.name();
        this.clock = context.clock();
        this.socketReads = new SocketReadStamps(context.stampSocketReads(), clock);
        this.fiberBuilder = VirtualThreadAccess.builder(new ReactorExecutor());
        this.remoteRunQueue = new ManyToOneConcurrentArrayQueue<>(context.remoteRunQueueCapacity());
        this.timers = new ReactorTimers(
            context.timerTickNs(), context.timerTicksPerWheel(), context.timerCapacity(), clock.nanoTime());
        this.reporter = context.reporter();
        this.runBatchSize = context.runBatchSize();
        this.slowSliceThresholdNs = context.slowSliceThresholdNs() == 0 ? Long.MAX_VALUE : context.slowSliceThresholdNs();
        this.timeSlices = context.slowSliceThresholdNs() != 0;
        this.agent = context.agent() == null ? null : new ReactorAgentCalls(context.agent(), reporter, counters);
        this.sliceHook = context.sliceHook();
        this.agentWorkPending = context.agentWorkPending();
        this.idleStrategy = new ReactorIdleStrategy(
            context.idle(), context.idleSpinNs(), context.idleYieldNs(), this::blockUntilWork, this::hasChannels, System::nanoTime);
        try
        {
            this.selector = Selector.open();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot open a selector for reactor " + name, ex);
        }
        this.reactorThread = new Thread(this::runLoop, name);
        this.reactorThread.setDaemon(true);
    }

    /**
     * A reactor with the default configuration and the given name.
     *
     * @param name the reactor's name.
     * @return a new, unstarted reactor.
     */
    public static FiberScheduler create(final String name)
    {
        return new FiberScheduler(new FiberSchedulerContext().name(name));
    }

    /**
     * Starts the reactor thread. When a core is configured, waits (up to 10 s) until the thread has
     * tried to pin itself, so {@link #isPinned()} tells the outcome once this returns. Fibers spawned
     * before start run once it has.
     *
     * @return this
     * @throws IllegalStateException if already started; or if pinning is required and the thread
     *                               could not be pinned (the message names the core and the reason)
     *                               or did not report within 10 s: the reactor is then stopped, its
     *                               thread has ended, and fibers spawned before start never run.
     */
    public FiberScheduler start()
    {
        synchronized (this)
        {
            if (state != NEW)
            {
                throw new IllegalStateException("reactor " + name + " was already started");
            }
            state = RUNNING;
        }
        reactorThread.start();
        if (context.cpu() >= 0)
        {
            awaitPinning();
        }
        return this;
    }

    /** @return true if the reactor thread runs on its configured core only (false before start or when unpinned). */
    public boolean isPinned()
    {
        return pinned;
    }

    /**
     * Stops the reactor: interrupts every fiber, waits up to the configured stop timeout for them to
     * end, then ends the loop and joins the reactor thread. Idempotent. Fibers that ignore the
     * interrupt are named in the exception and abandoned (parked virtual threads hold no OS thread).
     *
     * @throws IllegalStateException if called on the reactor itself, or if fibers did not end in time.
     */
    public void stop()
    {
        if (inReactor())
        {
            throw new IllegalStateException("a reactor cannot stop itself from its own thread or fibers");
        }
        synchronized (this)
        {
            if (state == STOPPED || state == STOPPING)
            {
                return;
            }
            if (state == NEW)
            {
                state = STOPPED;
                closeSelector();
                return;
            }
            state = STOPPING;
        }
        final long deadlineNs = System.nanoTime() + context.stopTimeoutNs();
        final List<String> stuck = new ArrayList<>();
        for (final Fiber fiber : fibersByTask.values())
        {
            fiber.thread.interrupt();
        }
        for (final Fiber fiber : fibersByTask.values())
        {
            if (!join(fiber.thread, deadlineNs))
            {
                stuck.add(fiber.name);
            }
        }
        state = STOPPED;
        wakeup();
        final boolean reactorEnded = join(reactorThread, deadlineNs + TimeUnit.SECONDS.toNanos(1));
        fibersByTask.clear();
        if (!reactorEnded)
        {
            throw new IllegalStateException("reactor thread " + name + " did not end within the stop timeout");
        }
        if (!stuck.isEmpty())
        {
            throw new IllegalStateException("reactor " + name + " stopped, but these fibers ignored the interrupt: " + stuck);
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close()
    {
        stop();
    }

    /** @return true from {@link #start()} until {@link #stop()} begins. */
    public boolean isRunning()
    {
        return state == RUNNING;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public NanoClock clock()
    {
        return clock;
    }

    @Override
    public Thread spawn(final String fiberName, final FiberBody body)
    {
        final int s = state;
        if (s != NEW && s != RUNNING)
        {
            throw new IllegalStateException("reactor " + name + " is stopped; cannot spawn fiber " + fiberName);
        }
        final Fiber fiber = new Fiber(fiberName, this, body);
        final Thread thread = fiberBuilder.name(fiberName).unstarted(fiber);
        fiber.thread = thread;
        fiber.task = VirtualThreadAccess.runContinuation(thread);
        fibersByTask.put(fiber.task, fiber);
        counters.fibersStarted.incrementAndGet();
        thread.start();
        return thread;
    }

    @Override
    public Baton newBaton()
    {
        return new FiberBaton();
    }

    @Override
    public void sleepNs(final long durationNs) throws InterruptedException
    {
        final Fiber fiber = CURRENT_FIBER.get();
        if (fiber == null || fiber.reactor != this)
        {
            throw new IllegalStateException("sleepNs must be called from a fiber of reactor " + name);
        }
        if (durationNs <= 0)
        {
            return;
        }
        fiber.sleepBaton.reset();
        fiber.sleepBaton.await(durationNs, TimeUnit.NANOSECONDS);
    }

    @Override
    public long scheduleTimer(final long deadlineNs, final TimerHandler handler)
    {
        checkInReactor("scheduleTimer");
        return timers.schedule(deadlineNs, 0, handler);
    }

    @Override
    public long schedulePeriodic(final long firstDeadlineNs, final long periodNs, final TimerHandler handler)
    {
        checkInReactor("schedulePeriodic");
        if (periodNs <= 0)
        {
            throw new IllegalArgumentException("period must be positive: " + periodNs);
        }
        return timers.schedule(firstDeadlineNs, periodNs, handler);
    }

    @Override
    public boolean cancelTimer(final long timerId)
    {
        checkInReactor("cancelTimer");
        return timers.cancel(timerId);
    }

    @Override
    public boolean inReactor()
    {
        final Thread current = Thread.currentThread();
        if (current == reactorThread)
        {
            return true;
        }
        if (!current.isVirtual())
        {
            return false;
        }
        final Fiber fiber = CURRENT_FIBER.get();
        return fiber != null && fiber.reactor == this;
    }

    /**
     * Registers {@code channel} (non-blocking) with this reactor's selector. The handler runs on the
     * reactor thread when the channel is ready for an operation in its interest set.
     *
     * @param channel  the channel, in non-blocking mode.
     * @param ops      the initial interest set.
     * @param handler  told when the channel is ready.
     * @return the selection key, whose interest set the caller updates as it waits.
     * @throws ClosedChannelException if the channel is closed.
     * @throws IllegalStateException  if not called on the reactor.
     */
    public SelectionKey register(final SelectableChannel channel, final int ops, final ChannelReadyHandler handler)
        throws ClosedChannelException
    {
        checkInReactor("register");
        return channel.register(selector, ops, handler);
    }

    /** Wakes the reactor if it is blocked on its selector, for example after a simulated clock moved. */
    public void wakeup()
    {
        if (blocked)
        {
            blocked = false;
            selector.wakeup();
        }
        LockSupport.unpark(reactorThread);
    }

    /**
     * Lets the reactor's agent do the work it has waiting ({@link FiberSchedulerContext#agentWorkPending})
     * before the calling fiber goes on: the agent runs here, on the calling fiber, inside its slice.
     * Sockets call it before a read system call, so a pipeline's stages on the reactor apply what the
     * fiber just published without first waiting for a read that may find nothing (1.4-2.2 µs on a VM)
     * and the park after it. Costs one check when there is no such work or no agent; counted in
     * {@link ReactorCounters#agentRunsBeforeRead()}.
     *
     * <p>In place, not after a yield: a yield freezes the fiber's frames into a {@code StackChunk}, which
     * allocates while the JIT is still replacing those frames (96-165 B per message early in a run); in
     * place there is no freeze, no thaw, no second trip through the run queue. The agent's work counts in
     * the fiber's slice; the agent must not park. Called by a fiber of this reactor or the reactor
     * thread; on any other thread it does nothing.
     */
    public void runPendingAgentWork()
    {
        if (agentWorkPending != null && agentWorkPending.getAsBoolean() && agent != null && inReactor())
        {
            ReactorCounters.increment(counters.agentRunsBeforeRead);
            agent.doWork();
        }
    }

    /**
     * @return the stamps of the last socket read of this reactor's fibers that returned bytes (all 0
     *         while {@link FiberSchedulerContext#stampSocketReads} is off). Read them on the reactor: a
     *         fiber that just received a message gets when its last bytes arrived.
     */
    public SocketReadStamps socketReads()
    {
        return socketReads;
    }

    /** @return this reactor's counters. */
    public ReactorCounters counters()
    {
        return counters;
    }

    /** @return fibers spawned and not yet ended. */
    public int liveFibers()
    {
        return fibersByTask.size();
    }

    /** @return the reactor's platform thread (the carrier of all its fibers). */
    public Thread thread()
    {
        return reactorThread;
    }

    /** @return timers scheduled and not yet fired or cancelled (periodic ones count while active). */
    public int pendingTimers()
    {
        return timers.pendingCount();
    }

    /**
     * The earliest deadline among pending timers: how a replay driving a simulated clock knows
     * whether moving it lets a timer fire.
     *
     * @return that deadline in {@link #clock()} time, or {@link Long#MAX_VALUE} when no timer is pending.
     * @throws IllegalStateException if not called on the reactor.
     */
    public long earliestTimerDeadlineNs()
    {
        checkInReactor("earliestTimerDeadlineNs");
        return timers.earliestDeadlineNs();
    }

    /** The reactor of the calling fiber, or null when the caller is not a Loom fiber. */
    static FiberScheduler currentFiberReactor()
    {
        if (!Thread.currentThread().isVirtual())
        {
            return null;
        }
        final Fiber fiber = CURRENT_FIBER.get();
        return fiber == null ? null : fiber.reactor;
    }

    void onFiberFailure(final Fiber fiber, final Throwable error)
    {
        if (error instanceof InterruptedException && state != RUNNING)
        {
            return; // the normal way out of a fiber while the reactor stops
        }
        ReactorCounters.increment(counters.fiberFailures);
        try
        {
            reporter.onFiberFailure(fiber.name, error);
        }
        catch (final RuntimeException ignore)
        {
            // a failing reporter must not take the reactor down with it
        }
    }

    void onFiberEnd(final Fiber fiber)
    {
        ReactorCounters.increment(counters.fibersEnded);
        endedFiber = fiber; // unmapped after its last slice, so a slow last slice is still named
    }

    private void runLoop()
    {
        if (!pinReactorThread())
        {
            closeSelector();
            return;
        }
        final IdleStrategy idle = idleStrategy;
        if (agent != null)
        {
            agent.start();
        }
        while (state != STOPPED)
        {
            final int work = runReadyFibers() + pollSelector() + fireTimers() + runAgent();
            idle.idle(work);
        }
        runReadyFibers(); // let fibers interrupted by stop() finish their last slice
        if (agent != null)
        {
            agent.close();
        }
        closeSelector();
    }

    /** @return false if pinning is required and failed: the loop must not run. */
    private boolean pinReactorThread()
    {
        try
        {
            pinned = CorePinning.pinCurrentThread(context.corePinner(), context.cpu(), "reactor '" + name + "'", context.pinningRequired());
            return true;
        }
        catch (final IllegalStateException ex)
        {
            pinningFailure = ex;
            return false;
        }
        finally
        {
            pinningDone.countDown();
        }
    }

    private void awaitPinning()
    {
        boolean reported;
        try
        {
            reported = pinningDone.await(PINNING_TIMEOUT_NS, TimeUnit.NANOSECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            reported = false;
        }
        final IllegalStateException failure = pinningFailure;
        if (failure == null && (reported || !context.pinningRequired()))
        {
            return;
        }
        state = STOPPED;
        wakeup();
        join(reactorThread, System.nanoTime() + context.stopTimeoutNs());
        throw failure != null ? new IllegalStateException(failure.getMessage(), failure) : new IllegalStateException(
            "reactor '" + name + "' did not report within 10 s whether it was pinned to core " + context.cpu() + " and pinning is REQUIRED");
    }

    private int runReadyFibers()
    {
        remoteRunQueue.drain(toLocalRunQueue, runBatchSize);
        final ArrayDeque<Runnable> queue = localRunQueue;
        final boolean timed = timeSlices; // off: no clock read per slice (~25 ns each on a VM clock)
        int ran = 0;
        long sliceStartNs = timed ? System.nanoTime() : 0;
        while (ran < runBatchSize)
        {
            final Runnable task = queue.pollFirst();
            if (task == null)
            {
                break;
            }
            task.run();
            ran++;
            if (sliceHook != null)
            {
                runSliceHook();
            }
            if (agent != null)
            {
                agent.doWork(); // what the slice published reaches the agent now, not after up to runBatchSize more slices
            }
            if (timed)
            {
                final long sliceEndNs = System.nanoTime();
                if (sliceEndNs - sliceStartNs > slowSliceThresholdNs)
                {
                    onSlowSlice(task, sliceEndNs - sliceStartNs);
                }
                sliceStartNs = sliceEndNs;
            }
            if (endedFiber != null)
            {
                fibersByTask.remove(endedFiber.task);
                endedFiber = null;
            }
        }
        if (ran > 0)
        {
            ReactorCounters.add(counters.fiberRuns, ran);
        }
        return ran;
    }

    /** Runs the slice hook; what it throws is reported and counted like a fiber failure. */
    private void runSliceHook()
    {
        try
        {
            sliceHook.afterSlice();
        }
        catch (final RuntimeException ex)
        {
            ReactorCounters.increment(counters.fiberFailures);
            try
            {
                reporter.onFiberFailure("slice hook of reactor " + name, ex);
            }
            catch (final RuntimeException ignore)
            {
                // a failing reporter must not take the reactor down with it
            }
        }
    }

    private int pollSelector()
    {
        if (!hasChannels())
        {
            return 0; // a reactor of fibers that wait on batons: no selectNow system call per loop pass
        }
        try
        {
            return selector.selectNow(onSelected);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("selector of reactor " + name + " failed", ex);
        }
    }

    private int fireTimers()
    {
        final int fired = timers.expire(clock.nanoTime());
        if (fired > 0)
        {
            ReactorCounters.add(counters.timersFired, fired);
        }
        return fired;
    }

    private int runAgent()
    {
        return agent == null ? 0 : agent.doWork();
    }

    private void onSelected(final SelectionKey key)
    {
        ReactorCounters.increment(counters.channelsReady);
        try
        {
            ((ChannelReadyHandler)key.attachment()).onChannelReady(key);
        }
        catch (final RuntimeException ex)
        {
            // a faulty handler must not end the reactor loop: cancel its key, report and count it
            key.cancel();
            ReactorCounters.increment(counters.handlerFailures);
            try
            {
                reporter.onFiberFailure("channel handler " + key.attachment(), ex);
            }
            catch (final RuntimeException ignore)
            {
                // a failing reporter must not take the reactor down with it
            }
        }
    }

    private void onSlowSlice(final Runnable task, final long sliceNs)
    {
        ReactorCounters.increment(counters.slowSlices);
        final Fiber fiber = fibersByTask.get(task);
        try
        {
            reporter.onSlowSlice(fiber == null ? "<unknown fiber>" : fiber.name, sliceNs);
        }
        catch (final RuntimeException ignore)
        {
            // a failing reporter must not take the reactor down with it
        }
    }

    /** @return true if channels are registered with the selector (it must then be polled or selected on). */
    private boolean hasChannels()
    {
        return !selector.keys().isEmpty();
    }

    /**
     * Back-off idling's last step: block until a deadline, a channel or a wake-up. With no channel
     * registered the reactor parks instead of selecting: {@link #wakeup()} always unparks it, and
     * an unpark wakes a thread sooner than a selector wake-up does.
     */
    private void blockUntilWork()
    {
        final boolean select = hasChannels(); // channels are registered on the reactor only: none can appear while it blocks
        blocked = select;
        if (!remoteRunQueue.isEmpty() || !localRunQueue.isEmpty() || state == STOPPED)
        {
            blocked = false;
            return;
        }
        long timeoutNs = context.maxBlockNs();
        final long earliestNs = timers.earliestDeadlineNs();
        if (earliestNs != Long.MAX_VALUE)
        {
            timeoutNs = Math.min(timeoutNs, earliestNs - clock.nanoTime());
        }
        ReactorCounters.increment(counters.idleBlocks);
        try
        {
            if (!select)
            {
                if (timeoutNs > 0)
                {
                    LockSupport.parkNanos(this, timeoutNs);
                }
            }
            else if (timeoutNs >= 1_000_000)
            {
                selector.select(onSelected, timeoutNs / 1_000_000);
            }
            else if (timeoutNs > 0)
            {
                LockSupport.parkNanos(this, timeoutNs); // below the selector's 1 ms resolution
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("selector of reactor " + name + " failed", ex);
        }
        finally
        {
            blocked = false;
        }
    }

    private void checkInReactor(final String operation)
    {
        if (!inReactor())
        {
            throw new IllegalStateException(operation + " must be called on reactor " + name +
                " (one of its fibers or timer handlers), not on " + Thread.currentThread());
        }
    }

    private void closeSelector()
    {
        try
        {
            selector.close();
        }
        catch (final IOException ignore)
        {
            // nothing left to release
        }
    }

    private static boolean join(final Thread thread, final long deadlineNs)
    {
        try
        {
            final long remainingNs = deadlineNs - System.nanoTime();
            return remainingNs > 0 && thread.join(java.time.Duration.ofNanos(remainingNs)) || !thread.isAlive();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return !thread.isAlive();
        }
    }

    /** The scheduler the reactor's virtual threads submit their continuations to. */
    private final class ReactorExecutor implements Executor
    {
        @Override
        public void execute(final Runnable task)
        {
            if (inReactor())
            {
                localRunQueue.addLast(task); // a fiber or timer of this reactor woke it: no fence, no wake-up
                return;
            }
            while (!remoteRunQueue.offer(task))
            {
                if (state == STOPPED && !reactorThread.isAlive())
                {
                    throw new RejectedExecutionException("reactor " + name + " is stopped");
                }
                Thread.yield(); // full: the reactor drains it every pass
            }
            wakeup();
        }
    }
}
