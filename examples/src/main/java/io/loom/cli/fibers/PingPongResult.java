package io.loom.cli.fibers;

/**
 * The outcome of {@link BatonPingPongCheck}: the switch rate of the measured rally and the bytes the
 * reactor thread allocated during it. Each round trip is two fiber switches.
 *
 * @param roundTrips       round trips in the measured rally.
 * @param warmupRoundTrips round trips in the warm-up rally before it.
 * @param finished         whether both rallies finished within the timeout.
 * @param offReactor       times a rally fiber found itself off the reactor (must be 0).
 * @param elapsedNs        duration of the measured rally, timed inside the "ping" fiber.
 * @param allocatedBytes   bytes the reactor thread allocated around the measured rally, or
 *                         {@link ReactorAllocation#UNSUPPORTED}.
 */
record PingPongResult(
    long roundTrips, long warmupRoundTrips, boolean finished, int offReactor, long elapsedNs, long allocatedBytes)
{
    /**
     * The allocation limit. Allocating anything per switch costs at least one object, 16 bytes or
     * more, so staying under one byte per switch means no per-switch allocation; the few hundred
     * bytes the idle reactor may allocate once, waking up around the window, stay well under it.
     */
    static final double MAX_BYTES_PER_SWITCH = 1.0;

    long switches()
    {
        return 2 * roundTrips;
    }

    double bytesPerSwitch()
    {
        return (double)allocatedBytes / switches();
    }

    boolean switchPassed()
    {
        return finished && offReactor == 0;
    }

    boolean allocationPassed()
    {
        return finished && (allocatedBytes == ReactorAllocation.UNSUPPORTED || bytesPerSwitch() < MAX_BYTES_PER_SWITCH);
    }

    CheckLine switchLine()
    {
        final String rally = Units.count(roundTrips) + " baton round trips (after " + Units.count(warmupRoundTrips) +
            " warm-up)";
        if (!finished)
        {
            return CheckLine.of("switch", false, rally + " did not finish within the timeout");
        }
        final double nsPerSwitch = (double)elapsedNs / switches();
        return CheckLine.of("switch", switchPassed(), rally + ": " + Units.count(switches()) + " switches in " +
            Units.millis(elapsedNs) + ", " + Units.count(Math.round(1e9 / nsPerSwitch)) + " switches/s, " +
            Units.decimal(nsPerSwitch, 1) + " ns/switch" +
            (offReactor == 0 ? "" : "; " + offReactor + " times off the reactor"));
    }

    CheckLine allocationLine()
    {
        if (!finished)
        {
            return CheckLine.of("alloc", false, "not measured: the rally did not finish");
        }
        if (allocatedBytes == ReactorAllocation.UNSUPPORTED)
        {
            return new CheckLine("alloc", CheckLine.Status.SKIPPED, "this JVM cannot count a thread's allocated bytes");
        }
        return CheckLine.of("alloc", allocationPassed(), Units.decimal(bytesPerSwitch(), 4) +
            " bytes/switch on the reactor thread (" + Units.count(allocatedBytes) + " bytes over " +
            Units.count(switches()) + " switches; limit < " + Units.decimal(MAX_BYTES_PER_SWITCH, 0) + ")");
    }
}
