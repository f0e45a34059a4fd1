package io.loom.bench.pipeline;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PairedRatiosTest
{
    @Test
    void shouldTakeTheMedianOfThePerRoundRatiosNotTheRatioOfTheMedians()
    {
        // per round: 1/2, 2/1, 3/6, 4/1, 5/1 -> ratios 0.5, 2, 0.5, 4, 5: median 2 (the medians' ratio would be 3 / 1)
        final PairedRatios ratios = PairedRatios.of(new double[] {1, 2, 3, 4, 5}, new double[] {2, 1, 6, 1, 1});
        assertEquals(2.0, ratios.median(), 1e-12);
        assertEquals(0.5, ratios.min(), 1e-12);
        assertEquals(5.0, ratios.max(), 1e-12);
        assertEquals(5, ratios.pairs());
        assertTrue(ratios.low() <= ratios.median() && ratios.median() <= ratios.high(), ratios.toString());
        assertTrue(ratios.low() >= ratios.min() && ratios.high() <= ratios.max(), ratios.toString());
    }

    @Test
    void shouldGiveANarrowerIntervalForRatiosThatAgree()
    {
        final double[] reference = {10, 20, 30, 40, 50, 60, 70, 80};
        final PairedRatios steady = PairedRatios.of(new double[] {9.5, 19, 28.5, 38, 47.5, 57, 66.5, 76}, reference);
        final PairedRatios scattered = PairedRatios.of(new double[] {6, 25, 21, 50, 40, 75, 49, 100}, reference);
        assertEquals(0.95, steady.median(), 1e-12);
        assertEquals(0.95, steady.low(), 1e-12);
        assertEquals(0.95, steady.high(), 1e-12);
        assertTrue(scattered.high() - scattered.low() > 0.2, scattered.toString());
    }

    @Test
    void shouldTakeTheMeanOfTheMiddleTwoForAnEvenCount()
    {
        assertEquals(2.5, PairedRatios.median(new double[] {4, 1, 3, 2}), 1e-12);
        assertEquals(3.0, PairedRatios.median(new double[] {5, 3, 1}), 1e-12);
    }

    @Test
    void shouldRefuseRoundsThatDoNotPairOrFiguresThatAreNotPositive()
    {
        assertThrows(IllegalArgumentException.class, () -> PairedRatios.of(new double[] {1, 2}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> PairedRatios.of(new double[0], new double[0]));
        assertThrows(IllegalArgumentException.class, () -> PairedRatios.of(new double[] {1, 0}, new double[] {1, 1}));
    }
}
