package io.loom.examples.consolidated;

/**
 * Told by {@link ConsolidatedBboStage} each time the consolidated best bid/offer changes. Prices and
 * sizes are mantissas at the stage's common exponents; a side no venue quotes has price and size 0
 * and instrument 0. Primitive arguments, so telling allocates nothing.
 *
 * <p>Called on the stage's thread; must not block it.
 */
@FunctionalInterface
public interface ConsolidatedBboListener
{
    /**
     * @param recvNs          receive time of the message that changed it (recorded time in a replay).
     * @param bidPrice        the highest bid over the venues.
     * @param bidSize         the size at that price, summed over the venues bidding it.
     * @param bidInstrumentId the instrument (so the venue) with that bid; the first one if several.
     * @param askPrice        the lowest ask over the venues.
     * @param askSize         the size at that price, summed over the venues offering it.
     * @param askInstrumentId the instrument with that ask; the first one if several.
     * @param crossed         true if the bid is at or above the ask: two venues disagree (an
     *                        arbitrage, or a stale quote).
     */
    void onChange(long recvNs, long bidPrice, long bidSize, int bidInstrumentId, long askPrice, long askSize, int askInstrumentId,
        boolean crossed);
}
