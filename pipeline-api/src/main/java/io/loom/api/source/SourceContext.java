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

    /**
     * The pipeline's instruments, seen by this source: intern (or find) the source's symbols here,
     * at start or when it discovers them. Every instrument interned or found through it is recorded
     * as fed by this source, and a stage's {@link io.loom.api.stage.StageContext#requestResync
     * resync request} for an instrument goes to the sources that registered it this way. Publish
     * only instruments registered through this view: a request for an instrument no source
     * registered is counted as lost (and logged), never delivered to a guessed source.
     *
     * @return this source's view of the pipeline's instruments.
     */
    InstrumentRegistry instruments();

    /** @return the publisher into the pipeline's ring. */
    EventPublisher publisher();
}
