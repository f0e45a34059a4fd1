package io.loom.runtime.pipeline;

import io.loom.api.fiber.Reactor;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.source.EventPublisher;
import io.loom.api.source.SourceContext;

/**
 * What a source gets when the pipeline starts it.
 *
 * <p>Thread-safety: immutable; the publisher itself is for the source's fibers only.
 *
 * @param sourceId    the source's id, from 1, stamped into its events.
 * @param reactor     the pipeline's reactor, shared by all its sources.
 * @param instruments the source's view of the pipeline's instruments, which records what it registers.
 * @param publisher   the source's publisher into the ring.
 */
record PipelineSourceContext(int sourceId, Reactor reactor, InstrumentRegistry instruments, EventPublisher publisher)
    implements SourceContext
{
}
