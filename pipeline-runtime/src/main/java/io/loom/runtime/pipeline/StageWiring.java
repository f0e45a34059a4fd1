package io.loom.runtime.pipeline;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.dsl.Disruptor;
import io.loom.api.event.MarketEvent;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.pipeline.PipelineSpec;
import io.loom.api.pipeline.PipelineTopologyException;
import io.loom.api.pipeline.StageSpec;
import io.loom.api.stage.Stage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the validated stage descriptions into stage threads and wires them into the Disruptor:
 * stages that share a thread ({@code onThreadOf}) become one {@link StageThread} running them in
 * topology order, driven by a {@link StageLoop}; a thread runs after the threads of every stage its
 * stages run after (its loop waits on a barrier of their sequences), and only the sequences of the
 * threads no thread runs after gate the ring.
 *
 * <pre>
 *   described:  books ─┬─▶ imbalance ─┐
 *                      └─▶ spread ────┴─▶ printer          (spread.onThreadOf("books"))
 *
 *   threads:    T[books, spread] ─▶ T[imbalance] ─▶ T[printer]
 *   wiring:     handleEventsWith(loop of T[books, spread] on newBarrier())
 *               handleEventsWith(loop of T[imbalance] on newBarrier(books' sequence))
 *               handleEventsWith(gating loop of T[printer] on newBarrier(imbalance's, books'))   ◀ gating: no thread after it
 *               removeGatingSequence(books', imbalance's): only printer's holds the producer back
 * </pre>
 *
 * <p>A gating thread's loop takes batches of at most {@link StageThread#ROOM_CHECK_EVENTS} and looks
 * at the overflow drainer between them. The Disruptor's DSL starts, halts and drains the loops as
 * it would its own processors.
 *
 * <p>Stages on the reactor ({@code onReactor()}) are one more such thread, not started by the
 * Disruptor: {@link ReactorStages} polls the ring for them on the reactor, straight after it.
 *
 * <p>Sharing threads can make two threads wait on each other (a stage on thread A runs after a
 * stage on thread B that runs after a stage on thread A); that is rejected here with the stages
 * involved, since the builder validates stages, not threads.
 *
 * <p>Not thread-safe: used once, by the thread that builds the pipeline.
 */
final class StageWiring
{
    private final List<StageRunner> runners = new ArrayList<>();
    private final List<StageThread> threads = new ArrayList<>();
    private ReactorStages reactorStages;

    /**
     * Creates every stage (with its factory), groups them into threads and wires those.
     *
     * @param backstop the exception handler of last resort, for what a stage thread's loop catches.
     *
     * @throws PipelineTopologyException if a factory returns null or shared threads form a cycle.
     */
    StageWiring(
        final PipelineSpec spec,
        final Disruptor<MarketEvent> disruptor,
        final StageThreadFactory threadFactory,
        final InstrumentRegistry instruments,
        final ResyncDispatcher resyncs,
        final RingRoomSignal room,
        final BackstopExceptionHandler backstop)
    {
        final String pipeline = spec.name();
        final Map<String, StageSpec> specs = new HashMap<>();
        final Map<String, StageRunner> runnersByName = new LinkedHashMap<>();
        for (final StageSpec stage : spec.stages())
        {
            final Stage created = stage.factory().create();
            if (created == null)
            {
                throw new PipelineTopologyException(pipeline, "the factory of stage '" + stage.name() + "' returned null");
            }
            final StageRunner runner = new StageRunner(pipeline, stage.name(), created, stage.errorPolicy(), resyncs);
            specs.put(stage.name(), stage);
            runnersByName.put(stage.name(), runner);
            runners.add(runner);
        }

        final Map<String, List<StageRunner>> membersByThread = new LinkedHashMap<>();
        final Map<String, Set<String>> threadsBefore = new LinkedHashMap<>();
        final Map<String, Set<String>> upstreamOf = new HashMap<>();
        final Set<String> threadsWithFollowers = new HashSet<>();
        for (final StageSpec stage : spec.stages())
        {
            final String thread = threadOf(stage);
            membersByThread.computeIfAbsent(thread, key -> new ArrayList<>()).add(runnersByName.get(stage.name()));
            final Set<String> before = threadsBefore.computeIfAbsent(thread, key -> new LinkedHashSet<>());
            final Set<String> upstream = new HashSet<>();
            for (final String after : stage.after())
            {
                final String afterThread = threadOf(specs.get(after));
                if (!afterThread.equals(thread))
                {
                    before.add(afterThread);
                    threadsWithFollowers.add(afterThread);
                }
                upstream.add(after);
                upstream.addAll(upstreamOf.get(after)); // dependency order: already computed
            }
            upstreamOf.put(stage.name(), upstream);
        }

        final Map<String, StageThread> threadsByOwner = new HashMap<>();
        for (final String owner : threadOrder(spec, threadsBefore))
        {
            final List<StageRunner> members = membersByThread.get(owner);
            final Set<String> before = threadsBefore.get(owner);
            if (StageSpec.REACTOR.equals(owner))
            {
                if (!before.isEmpty() || threadsWithFollowers.contains(owner))
                {
                    throw new PipelineTopologyException(pipeline, "stages on the reactor run straight after the ring and no stage thread " +
                        "runs after them; threads before them: " + before);
                }
                final StageThread thread = new StageThread(pipeline + "-reactor", -1, members.toArray(new StageRunner[0]),
                    disruptor.getRingBuffer(), disruptor.getRingBuffer(), room);
                reactorStages = new ReactorStages(thread, disruptor.getRingBuffer());
                threadsByOwner.put(owner, thread);
                bind(members, thread, pipeline, instruments, runnersByName, upstreamOf);
                continue;
            }
            final StageThread thread = new StageThread(pipeline + '-' + owner, specs.get(owner).cpu(),
                members.toArray(new StageRunner[0]), disruptor.getRingBuffer(), disruptor.getRingBuffer(), room);
            final Sequence[] upstream = new Sequence[before.size()];
            int i = 0;
            for (final String upstreamThread : before)
            {
                upstream[i++] = threadsByOwner.get(upstreamThread).sequence();
            }
            wire(disruptor, thread, upstream, !threadsWithFollowers.contains(owner), backstop);
            threadsByOwner.put(owner, thread);
            threadFactory.register(thread);
            threads.add(thread);
            bind(members, thread, pipeline, instruments, runnersByName, upstreamOf);
        }
    }

    /**
     * Wires a thread's {@link StageLoop}: on a barrier of the threads it runs after, calling the
     * thread's one stage directly (a failure goes to its policy through a {@link StageFailureHandler})
     * or, for several, the thread's {@link StageThread#onEvent}. The DSL adds its sequence to the
     * ring's gating sequences; those of the threads it waits for leave them (they are never behind its own).
     *
     * @param gating true if no thread runs after it.
     */
    private static void wire(final Disruptor<MarketEvent> disruptor, final StageThread thread, final Sequence[] upstream,
        final boolean gating, final BackstopExceptionHandler backstop)
    {
        final RingBuffer<MarketEvent> ring = disruptor.getRingBuffer();
        final StageLoop loop = thread.stageCount() == 1
            ? new StageLoop(ring, ring.newBarrier(upstream), thread, thread.soleStage(), new StageFailureHandler(thread, backstop), gating)
            : new StageLoop(ring, ring.newBarrier(upstream), thread, thread::onEvent, backstop, gating);
        disruptor.handleEventsWith(loop);
        for (final Sequence waitedFor : upstream)
        {
            ring.removeGatingSequence(waitedFor);
        }
    }

    private static void bind(final List<StageRunner> members, final StageThread thread, final String pipeline, final InstrumentRegistry instruments,
        final Map<String, StageRunner> runnersByName, final Map<String, Set<String>> upstreamOf)
    {
        for (final StageRunner member : members)
        {
            member.bind(new PipelineStageContext(pipeline, member, instruments, runnersByName, upstreamOf.get(member.name())), thread.sequence());
        }
    }

    /** @return every stage, in topology order. */
    List<StageRunner> runners()
    {
        return runners;
    }

    /** @return the stages on the reactor, or null when every stage has a thread. */
    ReactorStages reactorStages()
    {
        return reactorStages;
    }

    /** @return the stage threads the Disruptor starts, each after the threads it waits for (not the reactor's stages). */
    List<StageThread> threads()
    {
        return threads;
    }

    private static String threadOf(final StageSpec stage)
    {
        return stage.threadOf() != null ? stage.threadOf() : stage.name();
    }

    /** Orders threads so each comes after those it waits for; names the stages of a cycle. */
    private static List<String> threadOrder(final PipelineSpec spec, final Map<String, Set<String>> threadsBefore)
    {
        final List<String> order = new ArrayList<>();
        final Set<String> placed = new HashSet<>();
        boolean progress = true;
        while (progress && order.size() < threadsBefore.size())
        {
            progress = false;
            for (final Map.Entry<String, Set<String>> entry : threadsBefore.entrySet())
            {
                if (!placed.contains(entry.getKey()) && placed.containsAll(entry.getValue()))
                {
                    order.add(entry.getKey());
                    placed.add(entry.getKey());
                    progress = true;
                }
            }
        }
        if (order.size() == threadsBefore.size())
        {
            return order;
        }
        final Map<String, String> threadByStage = new HashMap<>();
        for (final StageSpec stage : spec.stages())
        {
            threadByStage.put(stage.name(), threadOf(stage));
        }
        final List<String> waits = new ArrayList<>();
        for (final StageSpec stage : spec.stages())
        {
            final String thread = threadOf(stage);
            for (final String after : stage.after())
            {
                final String afterThread = threadByStage.get(after);
                if (!placed.contains(thread) && !placed.contains(afterThread) && !afterThread.equals(thread))
                {
                    waits.add(describe(stage.name(), thread) + " runs after " + describe(after, afterThread));
                }
            }
        }
        throw new PipelineTopologyException(spec.name(), "stages sharing threads would make the threads wait on each other: " +
            String.join("; ", waits) + " (share a thread only along a chain)");
    }

    private static String describe(final String stage, final String thread)
    {
        return stage.equals(thread) ? "'" + stage + "'" : "'" + stage + "' (on the thread of '" + thread + "')";
    }
}
