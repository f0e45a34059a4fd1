package io.loom.examples.imbalance;

/**
 * Told by {@link ImbalanceStage} when an instrument's {@link BookPressure} changes. Primitive
 * arguments, so telling allocates nothing.
 *
 * <p>Called on the stage's thread; must not block it.
 */
@FunctionalInterface
public interface ImbalanceListener
{
    /**
     * @param instrumentId the instrument (resolve it with the pipeline's registry).
     * @param recvNs       receive time of the message that changed it (recorded time in a replay).
     * @param imbalance    the new imbalance, in [-1, 1].
     * @param pressure     the new pressure.
     */
    void onPressureChange(int instrumentId, long recvNs, double imbalance, BookPressure pressure);
}
