package io.loom.runtime.fiber;

import io.loom.api.fiber.NanoClock;
import io.loom.runtime.affinity.CorePinner;
import io.loom.runtime.affinity.CorePinning;
import org.agrona.concurrent.Agent;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Configuration of one {@link FiberScheduler}: fluent setters, validated once by {@link #conclude()}.
 *
 * <p>Defaults suit a shared 2-core machine: back-off idling, unpinned, system clock, 1 ms
 * slow-slice threshold.
 *
 * <p>Not thread-safe: fill it in on one thread, then hand it to the scheduler, which owns it.
 */
public final class FiberSchedulerContext
{
    private String name = "loom-reactor";
    private int cpu = -1;
    private CorePinner corePinner = CorePinning.AFFINITY;
    private boolean pinningRequired;
    private NanoClock clock = NanoClock.SYSTEM;
    private ReactorIdle idle = ReactorIdle.BACK_OFF;
    private long idleSpinNs = TimeUnit.MICROSECONDS.toNanos(20);
    private long idleYieldNs;
    private long maxBlockNs = TimeUnit.MILLISECONDS.toNanos(100);
    private int runBatchSize = 512;
    private long slowSliceThresholdNs = TimeUnit.MILLISECONDS.toNanos(1);
    private int remoteRunQueueCapacity = 1 << 16;
    private long timerTickNs = 1L << 20;
    private int timerTicksPerWheel = 1024;
    private int timerCapacity = 1 << 14;
    private long stopTimeoutNs = TimeUnit.SECONDS.toNanos(5);
    private FiberReporter reporter = new LoggingFiberReporter();
    private boolean stampSocketReads;
    private Agent agent;
    private FiberSliceHook sliceHook;
    private BooleanSupplier agentWorkPending;
    private boolean concluded;

    /** @param name the reactor's name and its thread's; default {@code loom-reactor}. @return this */
    public FiberSchedulerContext name(final String name)
    {
        this.name = name;
        return this;
    }

    /** @param cpu core to pin the reactor thread to, or -1 for unpinned (default). @return this */
    public FiberSchedulerContext cpu(final int cpu)
    {
        this.cpu = cpu;
        return this;
    }

    /**
     * @param required true if a reactor that cannot be pinned to its {@link #cpu core} must fail
     *                 {@code start()}; false (default) to log and run unpinned.
     * @return this
     */
    public FiberSchedulerContext pinningRequired(final boolean required)
    {
        this.pinningRequired = required;
        return this;
    }

    /** @param pinner how the reactor thread pins itself; default {@link CorePinning#AFFINITY}. @return this */
    public FiberSchedulerContext corePinner(final CorePinner pinner)
    {
        this.corePinner = pinner;
        return this;
    }

    /** @param clock clock of timers and sleeps; default the system clock. @return this */
    public FiberSchedulerContext clock(final NanoClock clock)
    {
        this.clock = clock;
        return this;
    }

    /** @param idle how the reactor waits when it has no work; default {@link ReactorIdle#BACK_OFF}. @return this */
    public FiberSchedulerContext idle(final ReactorIdle idle)
    {
        this.idle = idle;
        return this;
    }

    /**
     * The back-off budget: how long an idle reactor spins, then yields, before it blocks. Spinning
     * catches the next message without a wake-up (tens of µs on a VM) but keeps a core; blocking
     * gives the core away, which on a loaded 2-core machine is what lets the rest (a sender, a
     * stage thread) run. The spin adapts below {@code spinNs}: idle stretches longer than
     * {@code spinNs} halve it (down to 1 µs), shorter ones double it back, so a reactor whose work
     * comes further apart than {@code spinNs} blocks right after it.
     *
     * @param spinNs  the longest time since the last pass with work spent spinning, in back-off mode (default 20 µs).
     * @param yieldNs time after the spins spent yielding while channels are registered (default 0: a
     *                yield on a loaded machine hands the core away for a whole time slice).
     * @return this
     */
    public FiberSchedulerContext backOffNs(final long spinNs, final long yieldNs)
    {
        this.idleSpinNs = spinNs;
        this.idleYieldNs = yieldNs;
        return this;
    }

    /**
     * @param maxBlockNs longest single block on the selector when idle (default 100 ms); bounds how
     *                   late a reactor on a simulated clock notices that the clock moved.
     * @return this
     */
    public FiberSchedulerContext maxBlockNs(final long maxBlockNs)
    {
        this.maxBlockNs = maxBlockNs;
        return this;
    }

    /** @param runBatchSize fiber slices run per loop pass before polling I/O and timers (default 512). @return this */
    public FiberSchedulerContext runBatchSize(final int runBatchSize)
    {
        this.runBatchSize = runBatchSize;
        return this;
    }

    /**
     * @param thresholdNs a slice longer than this is reported (default 1 ms); 0 turns the check off,
     *                    and with it the clock read after every fiber slice.
     * @return this
     */
    public FiberSchedulerContext slowSliceThresholdNs(final long thresholdNs)
    {
        this.slowSliceThresholdNs = thresholdNs;
        return this;
    }

    /** @param capacity wake-ups from other threads that can queue at once (power of two, default 65536). @return this */
    public FiberSchedulerContext remoteRunQueueCapacity(final int capacity)
    {
        this.remoteRunQueueCapacity = capacity;
        return this;
    }

    /**
     * @param tickNs        timer wheel tick, a power of two (default 2^20 ns, about 1 ms).
     * @param ticksPerWheel spokes of the wheel, a power of two (default 1024).
     * @param capacity      timers pre-allocated (default 16384); more grow the tables once.
     * @return this
     */
    public FiberSchedulerContext timerWheel(final long tickNs, final int ticksPerWheel, final int capacity)
    {
        this.timerTickNs = tickNs;
        this.timerTicksPerWheel = ticksPerWheel;
        this.timerCapacity = capacity;
        return this;
    }

    /** @param stopTimeoutNs how long {@code stop()} waits for interrupted fibers to end (default 5 s). @return this */
    public FiberSchedulerContext stopTimeoutNs(final long stopTimeoutNs)
    {
        this.stopTimeoutNs = stopTimeoutNs;
        return this;
    }

    /** @param reporter receives slow-slice and failure reports; default logs them. @return this */
    public FiberSchedulerContext reporter(final FiberReporter reporter)
    {
        this.reporter = reporter;
        return this;
    }

    /**
     * @param stamp true to have every socket read of the reactor's fibers that returns bytes record
     *              the reactor clock's time, readable as {@link SocketReadStamps#readNs()}: the
     *              "bytes read" point of a per-hop latency breakdown; with it, when the selector found the
     *              socket readable ({@link SocketReadStamps#readyNs()}) and when the read system
     *              call began ({@link SocketReadStamps#callNs()}). Default false: no clock read.
     * @return this
     */
    public FiberSchedulerContext stampSocketReads(final boolean stamp)
    {
        this.stampSocketReads = stamp;
        return this;
    }

    /**
     * @param agent work the reactor does on its own thread after every fiber slice and at the end of
     *              every loop pass: {@link Agent#onStart()} before the first pass, {@link Agent#doWork()}
     *              after each slice and each pass (its count of work done at the end of a pass keeps the
     *              reactor from idling; a check that finds none should cost a few ns), {@link Agent#onClose()}
     *              after the last. For a pipeline's stages on the reactor, which poll the ring the
     *              reactor's fibers publish to. It must not block; what it throws is reported and
     *              counted like a fiber failure. Default none.
     * @return this
     */
    public FiberSchedulerContext agent(final Agent agent)
    {
        this.agent = agent;
        return this;
    }

    /**
     * @param pending whether the {@link #agent} has work waiting (for a pipeline's stages on the
     *                reactor: events published and not yet polled), asked by a fiber's socket read
     *                before its read system call ({@link FiberScheduler#runPendingAgentWork}): if
     *                so the agent runs first, on the fiber, so it handles what the fiber published
     *                without waiting for a read that may find nothing and the park after it. Called on
     *                the reactor; must cost a few ns and not block. Default none: reads never run the agent.
     * @return this
     */
    public FiberSchedulerContext agentWorkPending(final BooleanSupplier pending)
    {
        this.agentWorkPending = pending;
        return this;
    }

    /**
     * @param hook called on the reactor thread after every fiber run slice (the fiber parked, yielded
     *             or ended), before the {@link #agent}: see {@link FiberSliceHook}. For a pipeline's
     *             publisher, which finds there the claims a fiber left open. Default none, which costs
     *             the reactor one field test per slice.
     * @return this
     */
    public FiberSchedulerContext sliceHook(final FiberSliceHook hook)
    {
        this.sliceHook = hook;
        return this;
    }

    /**
     * Validates every setting once; the scheduler calls it on construction.
     *
     * @return this
     * @throws IllegalArgumentException naming the first bad setting.
     */
    public FiberSchedulerContext conclude()
    {
        require(name != null && !name.isBlank(), "name must not be blank");
        require(cpu >= -1, "cpu must be -1 (unpinned) or a core number: " + cpu);
        require(corePinner != null, "corePinner must be set");
        require(clock != null, "clock must be set");
        require(idle != null, "idle must be set");
        require(idleSpinNs >= 0 && idleYieldNs >= 0, "back-off spin and yield times must not be negative");
        require(maxBlockNs >= TimeUnit.MILLISECONDS.toNanos(1), "maxBlockNs must be at least 1 ms: " + maxBlockNs);
        require(runBatchSize > 0, "runBatchSize must be positive: " + runBatchSize);
        require(slowSliceThresholdNs >= 0, "slowSliceThresholdNs must not be negative");
        require(Integer.bitCount(remoteRunQueueCapacity) == 1, "remoteRunQueueCapacity must be a power of two");
        require(Long.bitCount(timerTickNs) == 1, "timer tick must be a power of two nanoseconds: " + timerTickNs);
        require(Integer.bitCount(timerTicksPerWheel) == 1, "timer ticks per wheel must be a power of two");
        require(timerCapacity > 0, "timer capacity must be positive");
        require(stopTimeoutNs > 0, "stopTimeoutNs must be positive");
        require(reporter != null, "reporter must be set");
        concluded = true;
        return this;
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException("FiberSchedulerContext: " + message);
        }
    }

    boolean isConcluded()
    {
        return concluded;
    }

    String name()
    {
        return name;
    }

    int cpu()
    {
        return cpu;
    }

    CorePinner corePinner()
    {
        return corePinner;
    }

    boolean pinningRequired()
    {
        return pinningRequired;
    }

    NanoClock clock()
    {
        return clock;
    }

    ReactorIdle idle()
    {
        return idle;
    }

    long idleSpinNs()
    {
        return idleSpinNs;
    }

    long idleYieldNs()
    {
        return idleYieldNs;
    }

    long maxBlockNs()
    {
        return maxBlockNs;
    }

    int runBatchSize()
    {
        return runBatchSize;
    }

    long slowSliceThresholdNs()
    {
        return slowSliceThresholdNs;
    }

    int remoteRunQueueCapacity()
    {
        return remoteRunQueueCapacity;
    }

    long timerTickNs()
    {
        return timerTickNs;
    }

    int timerTicksPerWheel()
    {
        return timerTicksPerWheel;
    }

    int timerCapacity()
    {
        return timerCapacity;
    }

    long stopTimeoutNs()
    {
        return stopTimeoutNs;
    }

    FiberReporter reporter()
    {
        return reporter;
    }

    boolean stampSocketReads()
    {
        return stampSocketReads;
    }

    Agent agent()
    {
        return agent;
    }

    FiberSliceHook sliceHook()
    {
        return sliceHook;
    }

    BooleanSupplier agentWorkPending()
    {
        return agentWorkPending;
    }
}
