package io.loom.bench.journal;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What a replay benchmark's pass did, reported by JMH per second next to the passes: the events
 * the book stage applied and the journal records replayed.
 *
 * <p>Thread-safety: JMH state of one benchmark thread.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class ReplayCounts
{
    /** Events applied by the book stage. */
    public long events;
    /** Records replayed. */
    public long records;
}
