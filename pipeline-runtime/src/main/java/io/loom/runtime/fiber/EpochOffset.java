package io.loom.runtime.fiber;

import io.loom.api.fiber.NanoClock;
import java.time.Instant;

/**
 * Maps a monotonic {@link NanoClock} onto wall-clock epoch nanoseconds: {@code epochNs = offset +
 * clock.nanoTime()}. How a live session stamps receive times in epoch ns (as captures and journals
 * hold them) from the reactor's clock, and how a stage compares its own time with those stamps.
 *
 * <p>The offset is measured with microsecond wall-clock precision ({@link Instant#now()}), taking
 * of several readings the one whose two monotonic reads bracket the wall-clock read most tightly,
 * so two offsets measured apart in time agree to about a microsecond (unless the wall clock was
 * stepped in between).
 *
 * <p>Thread-safety: stateless.
 */
public final class EpochOffset
{
    private static final int READINGS = 16;

    private EpochOffset()
    {
    }

    /**
     * @param clock the monotonic clock.
     * @return the epoch ns at the clock's origin: add {@code clock.nanoTime()} to get epoch ns.
     */
    public static long measure(final NanoClock clock)
    {
        long tightestNs = Long.MAX_VALUE;
        long offsetNs = 0;
        for (int i = 0; i < READINGS; i++)
        {
            final long beforeNs = clock.nanoTime();
            final Instant now = Instant.now();
            final long afterNs = clock.nanoTime();
            if (afterNs - beforeNs < tightestNs)
            {
                tightestNs = afterNs - beforeNs;
                offsetNs = now.getEpochSecond() * 1_000_000_000L + now.getNano() - (beforeNs + (afterNs - beforeNs) / 2);
            }
        }
        return offsetNs;
    }
}
