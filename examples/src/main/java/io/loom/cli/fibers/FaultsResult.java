package io.loom.cli.fibers;

/**
 * Fiber failures and slow slices the reactor counted during the whole self-check. A failure fails
 * the check; slow slices (a fiber that ran longer than the threshold without parking) are reported
 * only, since JIT compilation and a busy machine cause them too.
 *
 * @param fiberFailures    exceptions that escaped a fiber.
 * @param slowSlices       run slices over the slow-slice threshold.
 * @param thresholdNs      the slow-slice threshold.
 * @param firstFailure     the first failure, described, or null.
 * @param longestSlowSlice the longest slow slice, described, or null.
 */
record FaultsResult(long fiberFailures, long slowSlices, long thresholdNs, String firstFailure, String longestSlowSlice)
{
    boolean passed()
    {
        return fiberFailures == 0;
    }

    CheckLine line()
    {
        return CheckLine.of("faults", passed(), Units.count(fiberFailures) + " fiber failures, " +
            Units.count(slowSlices) + " slow slices over " + Units.millis(thresholdNs) + " (reported only" +
            (longestSlowSlice == null ? "" : "; longest " + longestSlowSlice) + ")" +
            (firstFailure == null ? "" : "; first: " + firstFailure));
    }
}
