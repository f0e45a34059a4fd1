package io.loom.examples.imbalance;

/**
 * Which side of a book the imbalance signal leans to, with a dead band around zero so that small
 * wiggles are not reported as changes.
 *
 * <p>Thread-safety: immutable.
 */
public enum BookPressure
{
    /** Imbalance at or above {@code +threshold}: more quantity resting on the bid (buyers). */
    BID,
    /** Imbalance strictly between {@code -threshold} and {@code +threshold}. */
    BALANCED,
    /** Imbalance at or below {@code -threshold}: more quantity resting on the ask (sellers). */
    ASK;

    /**
     * @param imbalance an imbalance in [-1, 1].
     * @param threshold the dead band's half-width, in (0, 1].
     * @return the pressure.
     */
    public static BookPressure of(final double imbalance, final double threshold)
    {
        return imbalance >= threshold ? BID : imbalance <= -threshold ? ASK : BALANCED;
    }
}
