package io.loom.api.stage;

import io.loom.api.event.MarketEvent;

/**
 * A consumer of the pipeline's ring: an actor that owns its state and sees every event in ring
 * order on one thread (its own, or one it shares with other light stages). A stage after another
 * sees an event only once every stage before it is done with it.
 *
 * <p>Events of one exchange message arrive contiguously, flagged
 * {@link MarketEvent#isFirstOfMessage()} and {@link MarketEvent#isLastOfMessage()}: apply a message
 * atomically by acting at its last event.
 *
 * <p>Thread-safety: each method is called on the stage's thread only; state needs no locks. An
 * exception from {@link #onEvent} is counted and handled by the stage's
 * {@link StageErrorPolicy}; it never kills the stage's thread.
 */
public interface Stage
{
    /**
     * Called once on the stage's thread before the first event.
     *
     * @param context what the stage may use: instruments, upstream views, resync requests.
     * @throws Exception to fail the pipeline's start.
     */
    default void onStart(final StageContext context) throws Exception
    {
    }

    /**
     * Called for every event, in ring order.
     *
     * @param event      the slot; valid only during this call (copy what you keep).
     * @param sequence   the event's ring sequence, increasing by one per event.
     * @param endOfBatch true if no further event is available right now: the moment to flush work
     *                   batched across events (publish a signal, write a file), because waiting
     *                   for more would only add latency.
     * @throws Exception handled by the stage's error policy.
     */
    void onEvent(MarketEvent event, long sequence, boolean endOfBatch) throws Exception;

    /**
     * Called once on the stage's thread after the last event, when the pipeline closes.
     *
     * @throws Exception logged and counted; closing goes on.
     */
    default void onStop() throws Exception
    {
    }
}
