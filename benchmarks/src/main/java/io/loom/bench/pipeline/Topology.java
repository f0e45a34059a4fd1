package io.loom.bench.pipeline;

/**
 * The consumer topologies measured, the same for every mechanism.
 *
 * <pre>
 *   ONE_TO_ONE:            P ─▶ C1
 *   ONE_TO_THREE_PIPELINE: P ─▶ C1 ─▶ C2 ─▶ C3
 *   ONE_TO_THREE_DIAMOND:  P ─▶ C1 ─┬─▶ C2a ─┐
 *                                   └─▶ C2b ─┴─▶ C3
 * </pre>
 *
 * <p>Every consumer does the same small work per event ({@link EventWork}); the last one also
 * counts ({@link ConsumedCounter}).
 */
enum Topology
{
    /** One producer, one consumer. */
    ONE_TO_ONE,
    /** One producer, a chain of three consumers. */
    ONE_TO_THREE_PIPELINE,
    /** One producer, one consumer, two in parallel after it, one joining them. */
    ONE_TO_THREE_DIAMOND
}
