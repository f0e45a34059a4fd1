package io.loom.bench.e2e;

import io.loom.api.pipeline.RingWaitStrategy;
import io.loom.runtime.fiber.ReactorIdle;
import io.loom.runtime.net.TcpOptions;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * How Loom's threads are placed and wait in a run: the reactor's idle strategy, where the stages run
 * (a stage thread with a ring wait strategy, or the reactor itself: {@code PipelineBuilder.onReactor()}),
 * and whether threads are pinned (reactor on the last core, a stage thread on core 0) and the
 * reactor's core isolated (every other thread of the harness JVM and of the sender's process kept
 * off it: {@link CoreIsolation}, as {@code isolcpus} + {@code taskset} would in a deployment), and
 * whether the isolated reactor also runs {@code SCHED_FIFO} ({@link RealTimeScheduling}, as
 * {@code chrt -f} would: no other process's thread time-shares its core either). Named
 * on the command line as a system {@code loom/<idle>/<wait>[/pinned|/isolated|/isolated-rt]}, wait being a
 * {@link RingWaitStrategy} or {@code reactor}, e.g. {@code loom/back-off/back-off},
 * {@code loom/back-off/reactor} or {@code loom/busy-spin/reactor/isolated}, so several placements
 * run interleaved in one harness run. The same placements with the journal tap on are named
 * {@code loom-journal/<idle>/<wait>[/pinned|/isolated|/isolated-rt]}: with {@code /isolated} the journal thread,
 * like every other thread, is kept off the reactor's core. A suffix {@code @<slots>} sets the ring's size
 * ({@code loom/back-off/back-off@4096}), {@code @<slots>:<events>} the overflow queue's capacity too
 * ({@code loom/back-off/back-off@4096:4096}); without them the pipeline's defaults apply. A last suffix
 * {@code +delayed-acks[=<ms>|=every-read|=once]} connects the stream with {@link TcpOptions#withDelayedAcks delayed ACKs},
 * re-armed after a read once the last re-arm is that many ms old (default {@link TcpOptions#DEFAULT_REARM_NS}),
 * after every read, or only at connect ({@code loom/busy-spin/reactor/isolated+delayed-acks}).
 *
 * @param idle            how the reactor waits between passes without work.
 * @param stageWait       how the stage thread waits for events (unused when the stages are on the reactor).
 * @param stagesOnReactor true to run the stages on the reactor thread: no stage thread.
 * @param pinned          true to pin the reactor to the last core (and a stage thread to core 0).
 * @param isolated        true to keep every other thread of both processes off the reactor's core
 *                        for the run (implies pinned).
 * @param realTime        true to run the reactor {@code SCHED_FIFO} for the run (implies isolated).
 * @param ringSize        the ring's slots, a power of two, or {@link #DEFAULT_RING_SIZE} for the pipeline's default.
 * @param tcp             the stream connection's TCP settings.
 */
record LoomPlacement(ReactorIdle idle, RingWaitStrategy stageWait, boolean stagesOnReactor, boolean pinned, boolean isolated, boolean realTime,
    int ringSize, int overflowCapacity, TcpOptions tcp)
{
    /** {@link #ringSize()} of a placement that leaves the ring's size to the pipeline's default. */
    static final int DEFAULT_RING_SIZE = 0;
    /** {@link #overflowCapacity()} of a placement that leaves the overflow queue's capacity to the pipeline's default. */
    static final int DEFAULT_OVERFLOW_CAPACITY = 0;

    /**
     * The system {@code loom}: the library's defaults, the reactor backing off and the stage thread
     * spinning then blocking when idle, nothing pinned ({@code loom/back-off/back-off}). Chosen in
     * session 6 over {@code loom/yielding/yielding} (sessions 3-5) and {@code loom/back-off/reactor}
     * from paired rounds, flat out and at 10k msg/s, with the sender on the same 2 cores
     * (benchmarks/README.md, "e2e6").
     */
    static final LoomPlacement DEFAULT = new LoomPlacement(ReactorIdle.BACK_OFF, RingWaitStrategy.BACK_OFF, false, false, false, false,
        DEFAULT_RING_SIZE, DEFAULT_OVERFLOW_CAPACITY, TcpOptions.DEFAULTS);
    /** The prefix of a placement system's name. */
    static final String PREFIX = "loom/";
    /** The prefix of a placement system's name with the journal tap on. */
    static final String JOURNAL_PREFIX = "loom-journal/";
    private static final String REACTOR = "reactor";
    private static final String PINNED = "pinned";
    private static final String ISOLATED = "isolated";
    private static final String ISOLATED_REAL_TIME = "isolated-rt";
    private static final char RING_SIZE = '@';
    private static final char OVERFLOW_CAPACITY = ':';
    private static final String DELAYED_ACKS = "+delayed-acks";
    /** The reactor's {@code SCHED_FIFO} priority in an {@code /isolated-rt} placement: above every time-sharing thread, below the kernel's own. */
    static final int REACTOR_PRIORITY = 10;

    /**
     * @param system a system's name.
     * @return true if it names a placement ({@code loom/...} or {@code loom-journal/...}), which {@link #parse} reads.
     */
    static boolean isPlacement(final String system)
    {
        return system.startsWith(PREFIX) || system.startsWith(JOURNAL_PREFIX);
    }

    /**
     * @param system a system's name.
     * @return true if it names a placement with the journal tap on ({@code loom-journal/...}).
     */
    static boolean isJournaled(final String system)
    {
        return system.startsWith(JOURNAL_PREFIX);
    }

    /**
     * @param system {@code loom/<idle>/<wait>[/pinned|/isolated|/isolated-rt][@<ring slots>[:<overflow events>]][+delayed-acks[=<ms>|=every-read|=once]]}
     *               or the same after {@code loom-journal/}: idle one of {@link ReactorIdle}, wait one of {@link RingWaitStrategy}
     *               or {@code reactor}, either case, {@code -} or {@code _}; ring slots a power of two; overflow events >= 1.
     * @return the placement.
     * @throws IllegalArgumentException naming what is wrong.
     */
    static LoomPlacement parse(final String system)
    {
        final int delayedAcksAt = system.indexOf(DELAYED_ACKS);
        final TcpOptions tcp = delayedAcksAt < 0 ? TcpOptions.DEFAULTS : delayedAcks(system.substring(delayedAcksAt + DELAYED_ACKS.length()), system);
        final String placement = delayedAcksAt < 0 ? system : system.substring(0, delayedAcksAt);
        final int ringSizeAt = placement.indexOf(RING_SIZE);
        final int overflowAt = ringSizeAt < 0 ? -1 : placement.indexOf(OVERFLOW_CAPACITY, ringSizeAt);
        final int ringSize = ringSizeAt < 0 ? DEFAULT_RING_SIZE
            : ringSize(overflowAt < 0 ? placement.substring(ringSizeAt + 1) : placement.substring(ringSizeAt + 1, overflowAt), system);
        final int overflowCapacity = overflowAt < 0 ? DEFAULT_OVERFLOW_CAPACITY : overflowCapacity(placement.substring(overflowAt + 1), system);
        final String[] parts = (ringSizeAt < 0 ? placement : placement.substring(0, ringSizeAt)).split("/");
        if (!isPlacement(system) || parts.length < 3 || parts.length > 4 ||
            parts.length == 4 && !parts[3].equals(PINNED) && !parts[3].equals(ISOLATED) && !parts[3].equals(ISOLATED_REAL_TIME))
        {
            throw new IllegalArgumentException("a placement system is loom[-journal]/<reactor idle>/<stage wait or reactor>" +
                "[/pinned|/isolated|/isolated-rt][@<ring slots>[:<overflow events>]][" + DELAYED_ACKS + "[=<ms>|=every-read|=once]], not " + system);
        }
        final boolean onReactor = parts[2].equals(REACTOR);
        final boolean realTime = parts.length == 4 && parts[3].equals(ISOLATED_REAL_TIME);
        final boolean isolated = realTime || parts.length == 4 && parts[3].equals(ISOLATED);
        return new LoomPlacement(constant(ReactorIdle.class, parts[1], system),
            onReactor ? RingWaitStrategy.BACK_OFF : constant(RingWaitStrategy.class, parts[2], system), onReactor, parts.length == 4, isolated, realTime, ringSize,
            overflowCapacity, tcp);
    }

    /** @param rest what follows {@code +delayed-acks}: empty, {@code =<ms>}, {@code =every-read} or {@code =once}. */
    private static TcpOptions delayedAcks(final String rest, final String system)
    {
        switch (rest)
        {
            case "":
                return TcpOptions.withDelayedAcks();
            case "=every-read":
                return TcpOptions.withDelayedAcks(0);
            case "=once":
                return TcpOptions.withDelayedAcks(TcpOptions.ONCE);
            default:
                try
                {
                    final long ms = rest.startsWith("=") ? Long.parseLong(rest.substring(1)) : -1;
                    if (ms >= 0)
                    {
                        return TcpOptions.withDelayedAcks(TimeUnit.MILLISECONDS.toNanos(ms));
                    }
                }
                catch (final NumberFormatException ex)
                {
                    // named below
                }
                throw new IllegalArgumentException(system + ": " + DELAYED_ACKS + " takes =<ms>, =every-read or =once, not " + rest);
        }
    }

    private static int ringSize(final String text, final String system)
    {
        try
        {
            final int slots = Integer.parseInt(text);
            if (slots >= 2 && Integer.bitCount(slots) == 1)
            {
                return slots;
            }
        }
        catch (final NumberFormatException ex)
        {
            // named below
        }
        throw new IllegalArgumentException(system + ": the ring size after " + RING_SIZE + " must be a power of two >= 2, not " + text);
    }

    private static int overflowCapacity(final String text, final String system)
    {
        try
        {
            final int events = Integer.parseInt(text);
            if (events >= 1)
            {
                return events;
            }
        }
        catch (final NumberFormatException ex)
        {
            // named below
        }
        throw new IllegalArgumentException(system + ": the overflow capacity after " + OVERFLOW_CAPACITY + " must be an integer >= 1, not " + text);
    }

    private static <E extends Enum<E>> E constant(final Class<E> type, final String text, final String system)
    {
        try
        {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(system + ": " + text + " is not one of " + List.of(type.getEnumConstants()) +
                (type == RingWaitStrategy.class ? " or " + REACTOR : ""), ex);
        }
    }
}
