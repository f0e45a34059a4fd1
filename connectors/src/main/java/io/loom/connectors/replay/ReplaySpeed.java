package io.loom.connectors.replay;

import java.util.Locale;

/**
 * How fast a replay goes: as fast as possible, a multiple of recorded time, or one record per
 * {@link ReplaySource#step(int) step}. Pace never changes what is replayed or its order, only when.
 *
 * <p>Thread-safety: immutable.
 *
 * @param mode       the pacing mode.
 * @param multiplier for {@link Mode#PACED}, recorded time runs this many times faster than wall
 *                   time (1 = as recorded); 0 otherwise.
 */
public record ReplaySpeed(Mode mode, double multiplier)
{
    /** As fast as possible. */
    public static final ReplaySpeed MAX = new ReplaySpeed(Mode.MAX, 0);
    /** One record per step. */
    public static final ReplaySpeed STEP = new ReplaySpeed(Mode.STEP, 0);

    /** Pacing modes. */
    public enum Mode
    {
        /** No waiting between records. */
        MAX,
        /** Wall time between records is recorded time divided by the multiplier. */
        PACED,
        /** Each record waits for a step. */
        STEP
    }

    /**
     * Validates the speed.
     *
     * @throws IllegalArgumentException if a paced speed has no positive finite multiplier.
     */
    public ReplaySpeed
    {
        if (mode == Mode.PACED ? !(multiplier > 0 && Double.isFinite(multiplier)) : multiplier != 0)
        {
            throw new IllegalArgumentException("a paced replay needs a positive multiplier, other modes none: " + mode + " x" + multiplier);
        }
    }

    /**
     * @param multiplier recorded time per wall time, positive.
     * @return the paced speed.
     */
    public static ReplaySpeed times(final double multiplier)
    {
        return new ReplaySpeed(Mode.PACED, multiplier);
    }

    /**
     * Parses {@code max}, {@code step}, {@code <N>x} or {@code x<N>} ({@code 1x}, {@code 10x}, {@code x0.5}).
     *
     * @param text the speed as a user writes it.
     * @return the speed.
     * @throws IllegalArgumentException naming the text if it is none of those.
     */
    public static ReplaySpeed parse(final String text)
    {
        final String lower = text.trim().toLowerCase(Locale.ROOT);
        if (lower.equals("max"))
        {
            return MAX;
        }
        if (lower.equals("step"))
        {
            return STEP;
        }
        final String number = lower.endsWith("x") ? lower.substring(0, lower.length() - 1) : lower.startsWith("x") ? lower.substring(1) : null;
        try
        {
            if (number != null)
            {
                return times(Double.parseDouble(number));
            }
        }
        catch (final IllegalArgumentException ex)
        {
            // reported below
        }
        throw new IllegalArgumentException("speed '" + text + "' is not max, step, <N>x or x<N> with N > 0");
    }

    @Override
    public String toString()
    {
        return switch (mode)
        {
            case MAX -> "max";
            case STEP -> "step";
            case PACED -> (multiplier == Math.rint(multiplier) ? Long.toString((long)multiplier) : Double.toString(multiplier)) + "x";
        };
    }
}
