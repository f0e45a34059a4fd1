package io.loom.api.fiber;

/**
 * A source of monotonic time in nanoseconds. The reactor's timers, sleeps and deadlines read time
 * only through this interface, so a simulated clock can replace the system clock (replay drives one
 * with recorded time).
 *
 * <p>Implementations must be safe to read from any thread.
 */
@FunctionalInterface
public interface NanoClock
{
    /** The system's monotonic clock, {@link System#nanoTime()}. */
    NanoClock SYSTEM = System::nanoTime;

    /**
     * The current time.
     *
     * @return nanoseconds since an arbitrary, fixed origin; only differences are meaningful.
     */
    long nanoTime();
}
