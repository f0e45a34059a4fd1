package io.loom.bench.e2e;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;

/**
 * How late the stamped-stream server's paced sender is ({@code --hops}): for each update, its stamp
 * minus the time its schedule said ({@code start + i / rate}: the park's overshoot, or a sender that
 * lost its core), and for each paced write, write returned minus the stamp of its first update
 * (encode, BoringSSL encryption, the system call, and any preemption in between: time the
 * latency charges to the system under test). Interval recorders: each {@link #answer()} covers the
 * sends since the previous one.
 *
 * <p>Thread-safety: {@link #onStamped} and {@link #onWritten} on the sending thread (wait-free,
 * allocation-free); {@link #answer()} on any one other thread.
 */
final class SenderTimes
{
    /** The server command answered by {@link #answer()}. */
    static final String COMMAND = "sender";

    private static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);

    private final Recorder lateness = new Recorder(1, HIGHEST_NS, 3);
    private final Recorder written = new Recorder(1, HIGHEST_NS, 3);
    private final Recorder framesPerWrite = new Recorder(1, 1 << 20, 3);

    /**
     * @param dueNs   when the update was due by the schedule.
     * @param stampNs when it was stamped (now).
     */
    void onStamped(final long dueNs, final long stampNs)
    {
        lateness.recordValue(Math.max(1, stampNs - dueNs));
    }

    /**
     * @param firstStampNs the stamp of the write's first update.
     * @param writtenNs    when the write returned.
     * @param frames       updates in the write.
     */
    void onWritten(final long firstStampNs, final long writtenNs, final int frames)
    {
        written.recordValue(Math.clamp(writtenNs - firstStampNs, 1, HIGHEST_NS));
        framesPerWrite.recordValue(frames);
    }

    /** @return one line: lateness and stamp-to-written percentiles in µs, and frames per write, since the last answer. */
    String answer()
    {
        final Histogram late = lateness.getIntervalHistogram();
        final Histogram write = written.getIntervalHistogram();
        final Histogram frames = framesPerWrite.getIntervalHistogram();
        return "late " + percentiles(late) + " | stamp->written " + percentiles(write) + " | frames/write mean " +
            String.format("%.2f", frames.getMean()) + " max " + frames.getMaxValue();
    }

    private static String percentiles(final Histogram histogram)
    {
        return String.format("p50 %.1f p99 %.1f p99.9 %.1f max %.1f µs (%d)", histogram.getValueAtPercentile(50) / 1e3,
            histogram.getValueAtPercentile(99) / 1e3, histogram.getValueAtPercentile(99.9) / 1e3, histogram.getMaxValue() / 1e3,
            histogram.getTotalCount());
    }
}
