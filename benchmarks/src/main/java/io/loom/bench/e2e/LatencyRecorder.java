package io.loom.bench.e2e;

import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * Records wire-to-book latency (book applied - frame sent) of one system under test during the
 * measured window, corrected for coordinated omission: at a fixed rate a sample longer than the
 * expected interval (1 / rate) also counts the samples the stalled consumer would have taken.
 * The correction is applied when the histogram is read
 * ({@link Histogram#copyCorrectedForCoordinatedOmission}, the same result as
 * {@link Histogram#recordValueWithExpectedInterval}): done while recording it would cost the
 * consumer latency / interval steps per sample (20,000 for 2 s at 10k/s), slowing the very system
 * it measures. Flat out, nothing is expected at any interval, so samples stand as they are.
 *
 * <p>Outside the window {@link #onApplied} only counts; inside it records and counts the window's
 * messages. Recording never allocates: the histogram is sized up front (1 ns to 60 s, 3 digits).
 *
 * <p>Thread-safety: {@link #onApplied} from one consumer thread; {@link #openWindow}, {@link #closeWindow} and
 * {@link #reset} from the harness thread (a volatile flag hands over); read the histogram and
 * counts after {@link #closeWindow} and once the consumer has gone past the window.
 */
public final class LatencyRecorder
{
    private static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);

    private final Histogram histogram = new Histogram(1, HIGHEST_NS, 3);
    private final long expectedIntervalNs;
    private final long epochNs;
    private volatile boolean measuring;
    private volatile long applied;
    private volatile long windowMessages;
    private long outOfRange;
    private long unsampled;

    /**
     * @param messagesPerSecond the fixed rate the stream is sent at, or 0 for flat out.
     * @param epochNs           the harness epoch the frames' stamps count from.
     */
    public LatencyRecorder(final double messagesPerSecond, final long epochNs)
    {
        this.expectedIntervalNs = messagesPerSecond > 0 ? Math.round(1e9 / messagesPerSecond) : 0;
        this.epochNs = epochNs;
    }

    /**
     * Called by the consumer once a diff message is applied to its book.
     *
     * @param stamp the message's {@code E}: send time in ns since the epoch.
     * @param nowNs {@link System#nanoTime()} after the book was updated.
     */
    public void onApplied(final long stamp, final long nowNs)
    {
        applied++;
        if (measuring)
        {
            windowMessages++;
            final long latencyNs = nowNs - BinanceDepthStream.sendTimeNs(stamp, epochNs);
            if (latencyNs < 1 || latencyNs > HIGHEST_NS)
            {
                outOfRange++;
                return;
            }
            histogram.recordValue(latencyNs);
        }
    }

    /**
     * @param stamp a message's {@code E}: send time in ns since the epoch.
     * @return its send time on the {@link System#nanoTime()} clock.
     */
    public long sendTimeNs(final long stamp)
    {
        return BinanceDepthStream.sendTimeNs(stamp, epochNs);
    }

    /**
     * Called by a consumer that applied a diff but cannot tell its send time (counted, no sample).
     */
    public void onAppliedUnsampled()
    {
        applied++;
        if (measuring)
        {
            windowMessages++;
            unsampled++;
        }
    }

    /** @return diff messages applied inside the window without a latency sample. */
    public long unsampled()
    {
        return unsampled;
    }

    /** Starts the window: samples from now on are recorded. */
    public void openWindow()
    {
        measuring = true;
    }

    /** Ends the window. */
    public void closeWindow()
    {
        measuring = false;
    }

    /**
     * Forgets what earlier windows recorded (a rehearsal window in the warm-up, which runs the consumer through the
     * recording path so that the JIT compiles it before the measured window, instead of deoptimising the consumer's
     * compiled code at the window's first sample). Harness thread, while closed, once the consumer has gone past the
     * earlier window; the next {@link #openWindow} hands the cleared state over.
     */
    public void reset()
    {
        histogram.reset();
        windowMessages = 0;
        outOfRange = 0;
        unsampled = 0;
    }

    /** @return diff messages applied since start (warm-up included). */
    public long applied()
    {
        return applied;
    }

    /** @return diff messages applied inside the window. */
    public long windowMessages()
    {
        return windowMessages;
    }

    /** @return samples outside 1 ns .. 60 s (clock trouble; counted, not recorded). */
    public long outOfRange()
    {
        return outOfRange;
    }

    /**
     * @return the window's latencies in ns as measured, without the coordinated-omission correction
     *         (a copy); read after the window closed. The sender is open-loop (it keeps its schedule
     *         and stamps each message when it sends it, whatever the consumer does, until the
     *         socket's buffer is full), so a stall already shows in the measured latency of every
     *         message that queued behind it; the correction adds latency/interval more samples per
     *         long one on top. Both are reported.
     */
    public Histogram uncorrectedHistogram()
    {
        return histogram.copy();
    }

    /** @return the window's latencies in ns, corrected at a fixed rate (a copy); read after the window closed. */
    public Histogram histogram()
    {
        return expectedIntervalNs > 0 ? histogram.copyCorrectedForCoordinatedOmission(expectedIntervalNs) : histogram.copy();
    }
}
