package io.loom.api.source;

import io.loom.api.fiber.Reactor;
import io.loom.api.instrument.InstrumentRegistry;

/**
 * What a {@link Source} gets from its pipeline.
 *
 * <p>Thread-safety: the reactor and instruments may be used from anywhere; the publisher only from
 * the source's fibers on that reactor.
 */
public interface SourceContext
{
    /** @return the source's id, stamped into every event it publishes. */
    int sourceId();

    /** @return the reactor the source's fibers run on. */
    Reactor reactor();

    /** @return the pipeline's instruments, to intern the source's symbols at start. */
    InstrumentRegistry instruments();

    /** @return the publisher into the pipeline's ring. */
    EventPublisher publisher();
}
