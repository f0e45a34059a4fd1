package io.loom.bench.pipeline;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The ratio of two sides measured in pairs (one JVM of each per round, run back to back): the
 * median of the per-round ratios, a 95 % bootstrap interval of that median (rounds resampled with
 * replacement, a fixed seed so a report is reproducible from its figures), and the smallest and
 * largest per-round ratio. Pairing cancels what drifts between rounds (the other engineers' load);
 * the median and the interval say whether what is left lets a figure like 0.95x be decided.
 *
 * <p>Immutable; thread-safe.
 *
 * @param median the median per-round ratio.
 * @param low    the 2.5 % point of the bootstrapped median.
 * @param high   the 97.5 % point of the bootstrapped median.
 * @param min    the smallest per-round ratio.
 * @param max    the largest per-round ratio.
 * @param pairs  how many rounds the ratio is over.
 */
record PairedRatios(double median, double low, double high, double min, double max, int pairs)
{
    private static final int RESAMPLES = 10_000;
    private static final long SEED = 12;

    /**
     * @param numerators   each round's figure of the side on top.
     * @param denominators each round's figure of the reference side, same order and length.
     * @return the ratios' summary.
     * @throws IllegalArgumentException if the lengths differ, there is no round, or a figure is not positive.
     */
    static PairedRatios of(final double[] numerators, final double[] denominators)
    {
        if (numerators.length != denominators.length || numerators.length == 0)
        {
            throw new IllegalArgumentException("rounds: " + numerators.length + " and " + denominators.length);
        }
        final double[] ratios = new double[numerators.length];
        for (int i = 0; i < ratios.length; i++)
        {
            if (!(numerators[i] > 0) || !(denominators[i] > 0))
            {
                throw new IllegalArgumentException("round " + i + ": " + numerators[i] + " / " + denominators[i]);
            }
            ratios[i] = numerators[i] / denominators[i];
        }
        final SplittableRandom random = new SplittableRandom(SEED);
        final double[] medians = new double[RESAMPLES];
        final double[] sample = new double[ratios.length];
        for (int r = 0; r < RESAMPLES; r++)
        {
            for (int i = 0; i < sample.length; i++)
            {
                sample[i] = ratios[random.nextInt(ratios.length)];
            }
            medians[r] = median(sample);
        }
        Arrays.sort(medians);
        final double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        return new PairedRatios(median(ratios), medians[(int)(RESAMPLES * 0.025)], medians[(int)(RESAMPLES * 0.975) - 1],
            sorted[0], sorted[sorted.length - 1], ratios.length);
    }

    /**
     * @param values the figures (not changed).
     * @return their median (the mean of the middle two for an even count).
     */
    static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    @Override
    public String toString()
    {
        return String.format("%.3fx [%.3f-%.3f] (per round %.3f-%.3f, %d rounds)", median, low, high, min, max, pairs);
    }
}
