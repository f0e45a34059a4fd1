package io.loom.bench.e2e;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;

/**
 * How late the stamped-stream server's paced sender is ({@code --hops}): for each update, its stamp
 * minus the time its schedule said ({@code start + i / rate}: the park's overshoot, or a sender that
 * lost its core), and for each paced write, write returned minus the stamp of its first update
 * (encode, BoringSSL encryption, the system call, and any preemption in between: time the
 * latency charges to the system under test), cut into its steps by clock reads between them:
 *
 * <pre>
 *   stamp ─encode─▶ frames encoded (payloads patched, framed into one array)
 *         ─copy──▶ copied into the direct send buffer
 *         ─wrap──▶ BoringSSL encrypted it (0 for plain ws)
 *         ─write─▶ write(2) returned (on loopback this runs the receiver's TCP receive inline)
 * </pre>
 *
 * Interval recorders: each {@link #answer()} covers the sends since the previous one.
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
    private final Recorder held = new Recorder(1, HIGHEST_NS, 3);
    private final Recorder written = new Recorder(1, HIGHEST_NS, 3);
    private final Recorder framesPerWrite = new Recorder(1, 1 << 20, 3);
    private final Recorder encode = new Recorder(1, HIGHEST_NS, 3);
    private final Recorder copy = new Recorder(1, HIGHEST_NS, 3);
    private final Recorder wrap = new Recorder(1, HIGHEST_NS, 3);
    private final Recorder write = new Recorder(1, HIGHEST_NS, 3);

    /**
     * @param dueNs   when the update was due by the schedule.
     * @param foundNs when the sender found it due and encoded it.
     * @param stampNs its stamp: {@code foundNs}, or {@code dueNs} if it was held behind the previous send (then its
     *                lateness is charged to the client: counted apart as "held").
     */
    void onStamped(final long dueNs, final long foundNs, final long stampNs)
    {
        lateness.recordValue(Math.max(1, foundNs - dueNs));
        if (stampNs < foundNs)
        {
            held.recordValue(Math.max(1, foundNs - dueNs));
        }
    }

    /**
     * @param firstStampNs when the sender found the write's first update due (its stamp, unless it was held behind the previous send).
     * @param encodedNs    when its updates were encoded and framed.
     * @param copiedNs     when they were copied into the send buffer.
     * @param wrappedNs    when they were encrypted ({@code copiedNs} when plain).
     * @param writtenNs    when the write returned.
     * @param frames       updates in the write.
     */
    void onWritten(final long firstStampNs, final long encodedNs, final long copiedNs, final long wrappedNs, final long writtenNs, final int frames)
    {
        written.recordValue(clamp(writtenNs - firstStampNs));
        encode.recordValue(clamp(encodedNs - firstStampNs));
        copy.recordValue(clamp(copiedNs - encodedNs));
        wrap.recordValue(clamp(wrappedNs - copiedNs));
        write.recordValue(clamp(writtenNs - wrappedNs));
        framesPerWrite.recordValue(frames);
    }

    /**
     * @return one line: lateness, of it the updates held behind a send (stamped with their due time: the lateness
     *     charged to the client), stamp-to-written percentiles in µs, frames per write, and the steps of
     *     stamp-to-written (p50 / p99 / p99.9 µs each), since the last answer.
     */
    String answer()
    {
        final Histogram late = lateness.getIntervalHistogram();
        final Histogram charged = held.getIntervalHistogram();
        final Histogram stampToWritten = written.getIntervalHistogram();
        final Histogram frames = framesPerWrite.getIntervalHistogram();
        return "late " + percentiles(late) + " | held behind a send (charged) " + percentiles(charged) + " | stamp->written " + percentiles(stampToWritten) + " | frames/write mean " +
            String.format("%.2f", frames.getMean()) + " max " + frames.getMaxValue() + " | steps p50/p99/p99.9 encode " +
            steps(encode.getIntervalHistogram()) + " copy " + steps(copy.getIntervalHistogram()) + " wrap " + steps(wrap.getIntervalHistogram()) +
            " write " + steps(write.getIntervalHistogram()) + " µs";
    }

    /**
     * @param answer an {@link #answer()}.
     * @return its lateness part: "late … | held behind a send (charged) …".
     */
    static String lateness(final String answer)
    {
        final int end = answer.indexOf(" | stamp->written ");
        return end < 0 ? answer : answer.substring(0, end);
    }

    private static long clamp(final long ns)
    {
        return Math.clamp(ns, 1, HIGHEST_NS);
    }

    private static String steps(final Histogram histogram)
    {
        return String.format("%.2f/%.2f/%.2f", histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3,
            histogram.getValueAtPercentile(99.9) / 1e3);
    }

    private static String percentiles(final Histogram histogram)
    {
        return String.format("p50 %.1f p99 %.1f p99.9 %.1f max %.1f µs (%d)", histogram.getValueAtPercentile(50) / 1e3,
            histogram.getValueAtPercentile(99) / 1e3, histogram.getValueAtPercentile(99.9) / 1e3, histogram.getMaxValue() / 1e3,
            histogram.getTotalCount());
    }
}
