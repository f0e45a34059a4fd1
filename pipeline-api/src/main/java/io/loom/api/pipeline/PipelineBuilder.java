package io.loom.api.pipeline;

import io.loom.api.fiber.NanoClock;
import io.loom.api.source.Source;
import io.loom.api.stage.StageErrorPolicy;
import io.loom.api.stage.StageFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Describes a pipeline in code that reads like its topology: {@link #stage} starts a branch at the
 * ring, {@link #then} runs after the stage(s) added last, {@link #thenAll} fans out, and the next
 * {@link #then} or {@link #sink} joins the fan-out back (a diamond). {@link #pinTo},
 * {@link #onThreadOf}, {@link #onReactor}, {@link #after} and {@link #errorPolicy} modify the stage(s) added last.
 *
 * <p>{@link #build()} checks the whole description and names the first problem precisely
 * (duplicate or unknown stage, cycle, stage after a sink, cores that do not exist when pinning is
 * required, bad sizes), then asks the runtime's {@link PipelineEngine} for the pipeline.
 *
 * <p>Not thread-safe: build on one thread.
 */
public final class PipelineBuilder
{
    /**
     * Ring slots when none are chosen and a stage runs on a thread of its own: 65536 (~5 MB of
     * slots). Flat out, a stage thread that is descheduled for a while leaves the ring to fill, and
     * every message that then waits in the overflow queue is copied twice on the reactor: with 16384
     * slots, a loaded 2-core machine put 32-34 % of the Binance stream's messages through the queue
     * against 0.3-2 % with 65536, at more reactor CPU per message (benchmarks/README.md, "reactor10").
     */
    public static final int DEFAULT_RING_SIZE = 1 << 16;
    /**
     * Ring slots when none are chosen and every stage runs on the reactor ({@link #onReactor()}):
     * 16384 (~1.3 MB of slots). The stages consume what the sources published before each socket
     * read, so the ring holds one read's worth of events (a 122 KB read is ~85 Binance depth
     * messages, ~3,600 events) and a large ring only spreads the slots the reactor writes and reads
     * over more cache than the core has: the reactor spent 3-5 % less CPU in the feed and publish
     * with 16384 slots than with 65536, while 4096 put most messages through the overflow queue
     * (benchmarks/README.md, "reactor10").
     */
    public static final int DEFAULT_REACTOR_RING_SIZE = 1 << 14;

    private final String name;
    private final List<Source> sources = new ArrayList<>();
    private final List<StageSpec> stages = new ArrayList<>();
    private List<Integer> lastAdded = List.of();
    private int ringSize = DEFAULT_RING_SIZE;
    private boolean ringSizeChosen;
    private int overflowCapacity = 1 << 16;
    private Backpressure backpressure = Backpressure.BLOCK;
    private RingWaitStrategy waitStrategy = RingWaitStrategy.BACK_OFF;
    private PinningMode pinning = PinningMode.BEST_EFFORT;
    private int reactorCpu = -1;
    private NanoClock clock = NanoClock.SYSTEM;

    PipelineBuilder(final String name)
    {
        this.name = name;
    }

    /**
     * @param slots ring slots, a power of two (default {@link #DEFAULT_RING_SIZE}, or
     *              {@link #DEFAULT_REACTOR_RING_SIZE} when every stage runs on the reactor).
     * @return this
     */
    public PipelineBuilder ringSize(final int slots)
    {
        this.ringSize = slots;
        this.ringSizeChosen = true;
        return this;
    }

    /**
     * Sizes the overflow queue. Every event that waits in it is copied once more on its way into
     * the ring. A large queue lets the source keep reading through longer stalls of the stages; a
     * small one parks the source soon after the ring fills, as a raw Disruptor producer waits in
     * {@code next()}, and it resumes into half a ring of room. Under {@code BLOCK}, once the queue
     * has filled and parked a source (sustained overload), it rests: a full ring then parks the
     * source directly, which resumes into half a ring of room once the queue is empty, until the
     * stages have kept up with the source for a whole ring of events; so under sustained
     * saturation the events skip the second copy whatever the queue's size.
     *
     * @param events events the overflow queue holds behind a full ring (default 65536).
     * @return this
     */
    public PipelineBuilder overflowCapacity(final int events)
    {
        this.overflowCapacity = events;
        return this;
    }

    /** @param source a source publishing into the ring. @return this */
    public PipelineBuilder source(final Source source)
    {
        sources.add(source);
        return this;
    }

    /** @param policy what happens when ring and overflow are full (default BLOCK). @return this */
    public PipelineBuilder backpressure(final Backpressure policy)
    {
        this.backpressure = policy;
        return this;
    }

    /** @param strategy how stage threads wait (default BACK_OFF, right for 2 cores). @return this */
    public PipelineBuilder waitStrategy(final RingWaitStrategy strategy)
    {
        this.waitStrategy = strategy;
        return this;
    }

    /** @param mode whether pinned cores must exist and be had (default BEST_EFFORT). @return this */
    public PipelineBuilder pinning(final PinningMode mode)
    {
        this.pinning = mode;
        return this;
    }

    /** @param cpu core for the sources' reactor thread, -1 for unpinned (default). @return this */
    public PipelineBuilder reactorCpu(final int cpu)
    {
        this.reactorCpu = cpu;
        return this;
    }

    /**
     * @param clock the clock of the sources' reactor: its timers, sleeps and deadlines (default the
     *              system clock; a replay passes the clock it drives with recorded time).
     * @return this
     */
    public PipelineBuilder clock(final NanoClock clock)
    {
        this.clock = clock;
        return this;
    }

    /**
     * Adds a stage that reads straight from the ring, in parallel with other such stages.
     *
     * @param stageName unique name.
     * @param factory   makes the stage.
     * @return this
     */
    public PipelineBuilder stage(final String stageName, final StageFactory factory)
    {
        return add(List.of(StageSpec.of(stageName, factory)), List.of());
    }

    /**
     * Adds a stage described in full (its own {@code after} list).
     *
     * @param spec the stage.
     * @return this
     */
    public PipelineBuilder stage(final StageSpec spec)
    {
        return add(List.of(spec), spec.after());
    }

    /**
     * Adds a stage that runs after the stage(s) added last.
     *
     * @param stageName unique name.
     * @param factory   makes the stage.
     * @return this
     */
    public PipelineBuilder then(final String stageName, final StageFactory factory)
    {
        return add(List.of(StageSpec.of(stageName, factory)), lastNames());
    }

    /**
     * Adds stages that each run after the stage(s) added last, in parallel with each other.
     *
     * @param specs the stages, for example {@code StageSpec.of("spread", Spread::new)}.
     * @return this
     */
    public PipelineBuilder thenAll(final StageSpec... specs)
    {
        return add(Arrays.asList(specs), lastNames());
    }

    /**
     * Adds a terminal stage after the stage(s) added last: no stage may run after it.
     *
     * @param stageName unique name.
     * @param factory   makes the stage.
     * @return this
     */
    public PipelineBuilder sink(final String stageName, final StageFactory factory)
    {
        add(List.of(StageSpec.of(stageName, factory).asSink()), lastNames());
        return this;
    }

    /**
     * Makes the stage(s) added last run after the named stages instead.
     *
     * @param upstream stage names.
     * @return this
     */
    public PipelineBuilder after(final String... upstream)
    {
        return modifyLast(spec -> spec.withAfter(List.of(upstream)));
    }

    /**
     * Pins the thread of the stage added last to a core.
     *
     * @param cpu the core.
     * @return this
     */
    public PipelineBuilder pinTo(final int cpu)
    {
        if (lastAdded.size() != 1)
        {
            throw new PipelineTopologyException(name, "pinTo(" + cpu + ") applies to one stage; the last step added " + lastNames());
        }
        return modifyLast(spec -> spec.withCpu(cpu));
    }

    /**
     * Runs the stage(s) added last on the thread of another stage (for light stages: no extra
     * thread, no hand-off, and the owner's views are read consistently).
     *
     * @param stageName the stage whose thread to share.
     * @return this
     */
    public PipelineBuilder onThreadOf(final String stageName)
    {
        return modifyLast(spec -> spec.withThreadOf(stageName));
    }

    /**
     * Runs the stage(s) added last on the sources' reactor thread: the reactor polls the ring after
     * its fibers have run, so an event reaches the stage with no thread hand-off and no wake-up, and
     * the pipeline has one thread fewer. For a 2-core machine, where the sources, a stage thread and
     * anything else on the box compete for two cores. The stage shares the reactor with every
     * source: it must be light and never block, and while it runs no frame is read. Stages on the
     * reactor run straight after the ring or after other stages on the reactor, and no stage thread
     * runs after them: a thread cannot wait for the reactor, and an idle reactor would not notice
     * a thread that advanced (it wakes for its sources, not for stage threads). Pin the reactor
     * with {@link #reactorCpu}. With every stage on the reactor and no {@link #ringSize} chosen, the
     * ring has {@link #DEFAULT_REACTOR_RING_SIZE} slots. The reactor calls their {@code onStart};
     * at close, once the reactor has stopped, the closing thread hands them what is left in the
     * ring and calls their {@code onStop}.
     *
     * @return this
     */
    public PipelineBuilder onReactor()
    {
        return modifyLast(spec -> spec.withThreadOf(StageSpec.REACTOR));
    }

    /**
     * @param policy what an exception in the stage(s) added last does (default SKIP_EVENT).
     * @return this
     */
    public PipelineBuilder errorPolicy(final StageErrorPolicy policy)
    {
        return modifyLast(spec -> spec.withErrorPolicy(policy));
    }

    /**
     * Validates the description and builds the pipeline (not started).
     *
     * @return the pipeline.
     * @throws PipelineTopologyException naming the first problem found.
     * @throws IllegalStateException     if no pipeline engine (pipeline-runtime) is on the class path.
     */
    public Pipeline build()
    {
        final PipelineSpec spec = validate();
        final Iterator<PipelineEngine> engines = ServiceLoader.load(PipelineEngine.class).iterator();
        if (!engines.hasNext())
        {
            throw new IllegalStateException("no PipelineEngine found: put io.loom:pipeline-runtime on the class path");
        }
        return engines.next().create(spec);
    }

    /**
     * Checks the description without building it.
     *
     * @return the validated description, stages in dependency order.
     * @throws PipelineTopologyException naming the first problem found.
     */
    public PipelineSpec validate()
    {
        if (name == null || name.isBlank())
        {
            throw new PipelineTopologyException(String.valueOf(name), "a pipeline needs a name");
        }
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1)
        {
            fail("ring size must be a power of two >= 2, not " + ringSize);
        }
        if (overflowCapacity < 1)
        {
            fail("overflow capacity must be at least 1, not " + overflowCapacity);
        }
        if (stages.isEmpty())
        {
            fail("a pipeline needs at least one stage");
        }
        if (clock == null)
        {
            fail("a pipeline needs a clock");
        }
        final Set<String> sourceNames = new HashSet<>();
        for (final Source source : sources)
        {
            if (!sourceNames.add(source.name()))
            {
                fail("two sources are named '" + source.name() + "'");
            }
        }
        final Map<String, StageSpec> byName = new LinkedHashMap<>();
        for (final StageSpec stage : stages)
        {
            if (stage.name() == null || stage.name().isBlank())
            {
                fail("a stage needs a name");
            }
            if (stage.name().equals(StageSpec.REACTOR))
            {
                fail("no stage may be named '" + StageSpec.REACTOR + "': it names the reactor's thread");
            }
            if (byName.put(stage.name(), stage) != null)
            {
                fail("two stages are named '" + stage.name() + "'");
            }
        }
        for (final StageSpec stage : stages)
        {
            for (final String upstream : stage.after())
            {
                final StageSpec before = byName.get(upstream);
                if (before == null)
                {
                    fail("stage '" + stage.name() + "' runs after unknown stage '" + upstream + "'");
                }
                if (before.sink())
                {
                    fail("stage '" + stage.name() + "' runs after '" + upstream + "', a terminal sink");
                }
                if (upstream.equals(stage.name()))
                {
                    fail("stage '" + stage.name() + "' runs after itself");
                }
            }
            if (StageSpec.REACTOR.equals(stage.threadOf()))
            {
                if (stage.cpu() >= 0)
                {
                    fail("stage '" + stage.name() + "' runs on the reactor: pin the reactor (reactorCpu) instead");
                }
            }
            else if (stage.threadOf() != null)
            {
                final StageSpec owner = byName.get(stage.threadOf());
                if (owner == null)
                {
                    fail("stage '" + stage.name() + "' shares the thread of unknown stage '" + stage.threadOf() + "'");
                }
                if (owner.threadOf() != null)
                {
                    fail("stage '" + stage.name() + "' shares the thread of '" + owner.name() +
                        "', which itself runs on the thread of '" + owner.threadOf() + "': name the owner");
                }
                if (stage.cpu() >= 0)
                {
                    fail("stage '" + stage.name() + "' shares the thread of '" + owner.name() + "': pin that stage instead");
                }
            }
        }
        final List<StageSpec> ordered = dependencyOrder(byName);
        for (final StageSpec stage : ordered)
        {
            for (final String upstream : stage.after())
            {
                final boolean onReactor = StageSpec.REACTOR.equals(stage.threadOf());
                if (onReactor != StageSpec.REACTOR.equals(byName.get(upstream).threadOf()))
                {
                    fail("stage '" + stage.name() + "' runs after '" + upstream + "', and only one of them runs on the reactor: stages on the " +
                        "reactor run straight after the ring or after stages on the reactor, and no stage thread runs after them");
                }
            }
        }
        checkCores(ordered);
        final boolean everyStageOnReactor = ordered.stream().allMatch(stage -> StageSpec.REACTOR.equals(stage.threadOf()));
        final int slots = ringSizeChosen || !everyStageOnReactor ? ringSize : DEFAULT_REACTOR_RING_SIZE;
        return new PipelineSpec(name, slots, overflowCapacity, sources, ordered, backpressure, waitStrategy, pinning, reactorCpu, clock);
    }

    private List<StageSpec> dependencyOrder(final Map<String, StageSpec> byName)
    {
        final Map<String, Integer> pending = new HashMap<>();
        final Map<String, List<String>> downstream = new HashMap<>();
        for (final StageSpec stage : byName.values())
        {
            pending.put(stage.name(), stage.after().size());
            for (final String upstream : stage.after())
            {
                downstream.computeIfAbsent(upstream, k -> new ArrayList<>()).add(stage.name());
            }
        }
        final Deque<String> ready = new ArrayDeque<>();
        for (final StageSpec stage : byName.values())
        {
            if (stage.after().isEmpty())
            {
                ready.add(stage.name());
            }
        }
        final List<StageSpec> ordered = new ArrayList<>();
        while (!ready.isEmpty())
        {
            final String next = ready.poll();
            ordered.add(byName.get(next));
            for (final String after : downstream.getOrDefault(next, List.of()))
            {
                if (pending.merge(after, -1, Integer::sum) == 0)
                {
                    ready.add(after);
                }
            }
        }
        if (ordered.size() != byName.size())
        {
            final List<String> cyclic = new ArrayList<>();
            for (final Map.Entry<String, Integer> entry : pending.entrySet())
            {
                if (entry.getValue() > 0)
                {
                    cyclic.add(entry.getKey());
                }
            }
            cyclic.sort(null);
            fail("stages " + cyclic + " form a cycle");
        }
        return ordered;
    }

    private void checkCores(final List<StageSpec> ordered)
    {
        if (pinning != PinningMode.REQUIRED)
        {
            return;
        }
        final int cores = Runtime.getRuntime().availableProcessors();
        final Map<Integer, String> owners = new HashMap<>();
        if (reactorCpu >= 0)
        {
            owners.put(reactorCpu, "the reactor");
        }
        for (final StageSpec stage : ordered)
        {
            if (stage.cpu() < 0)
            {
                continue;
            }
            if (stage.cpu() >= cores)
            {
                fail("stage '" + stage.name() + "' is pinned to core " + stage.cpu() + " but this machine has " + cores +
                    " cores (0.." + (cores - 1) + ") and pinning is REQUIRED");
            }
            final String other = owners.put(stage.cpu(), "stage '" + stage.name() + "'");
            if (other != null)
            {
                fail("core " + stage.cpu() + " is requested by both " + other + " and stage '" + stage.name() + "'");
            }
        }
        if (reactorCpu >= cores)
        {
            fail("the reactor is pinned to core " + reactorCpu + " but this machine has " + cores + " cores");
        }
    }

    private PipelineBuilder add(final List<StageSpec> specs, final List<String> upstream)
    {
        final List<Integer> added = new ArrayList<>();
        for (final StageSpec spec : specs)
        {
            stages.add(spec.after().equals(upstream) ? spec : spec.withAfter(upstream));
            added.add(stages.size() - 1);
        }
        lastAdded = added;
        return this;
    }

    private PipelineBuilder modifyLast(final java.util.function.UnaryOperator<StageSpec> change)
    {
        if (lastAdded.isEmpty())
        {
            throw new PipelineTopologyException(name, "add a stage before modifying it");
        }
        for (final int index : lastAdded)
        {
            stages.set(index, change.apply(stages.get(index)));
        }
        return this;
    }

    private List<String> lastNames()
    {
        final List<String> names = new ArrayList<>();
        for (final int index : lastAdded)
        {
            names.add(stages.get(index).name());
        }
        return names;
    }

    private void fail(final String problem)
    {
        throw new PipelineTopologyException(name, problem);
    }
}
