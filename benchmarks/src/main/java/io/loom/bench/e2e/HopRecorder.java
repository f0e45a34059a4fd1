package io.loom.bench.e2e;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Loom's wire-to-book latency cut into hops ({@code --hops}): where each message's time goes between
 * the sender's stamp and the book.
 *
 * <pre>
 *   server: stamp E ─▶ BoringSSL write ──loopback──▶ reactor: socket read returns (readNs)
 *     ─▶ TLS + WebSocket: the feed is handed the frame (frameNs) ─▶ decode, book sync, claim, fill ─▶ publish (publishNs)
 *     ─▶ ring ─▶ stage thread: OrderBookStage applied, LoomLatencyStage (appliedNs)
 *   hops:  send→read | read→frame | frame→publish | publish→applied   (and their sum, send→applied, uncorrected)
 *   send→read of a message whose read had to wait, cut by the reactor's read stamps ({@link #readSplit}):
 *     send→ready (the sender's stamp to the selector pass that found the socket readable: the sender's encode,
 *     TLS and write(2), the kernel, the wait for that pass) | ready→call (the ready handler, the rest of the
 *     loop pass, the fiber's thaw, up to the read system call) | call→read (the read(2) that returned the bytes)
 *   from the time the frame left the sender ({@link WireTimes}: its write(2) began, after encoding and TLS; {@link #wire}):
 *     send→wire (the sender's encode and TLS) | wire→read | wire→applied (wire to book, uncorrected)
 * </pre>
 *
 * <p>The reactor side ({@link #onFrame}, {@link #onPublish}) writes each message's times into a
 * table slot indexed by its publish order, tagged with the exchange time of its last event, before
 * the ring publishes it (so the ring's release/acquire makes them visible to the stage thread).
 * The stage side ({@link #onMessageApplied}) counts messages in the same order and records the hops of
 * a slot whose tag matches the event's exchange time; a slot overwritten by a producer more than
 * {@value #SLOTS} messages ahead, or a message published around this recorder, is counted as
 * unmatched, never recorded wrongly. Histograms are sized up front: recording allocates nothing.
 *
 * <p>The window's first {@value #WINDOW_MESSAGES} matched messages also keep their send time and
 * hops, so {@link #tail} can say which hops the slowest messages spent their time in, and whether
 * they came one by one or in episodes (a stall delays every message sent during it).
 *
 * <p>Thread-safety: {@link #onFrame} and {@link #onPublish} on the reactor (one source);
 * {@link #onMessageApplied} on the stage thread; the window, {@link #reset} and the results on the harness thread,
 * read after {@link #closeWindow}.
 */
final class HopRecorder
{
    /** The hops, in order along the path, then their sum. */
    static final List<String> HOPS = List.of("send->read", "read->frame", "frame->publish", "publish->applied", "send->applied");

    /** send->read of the messages whose read waited, cut at the selector's ready pass and the read call. */
    static final List<String> READ_SPLIT = List.of("send->ready", "ready->call", "call->read");

    /** The sender's own part, and the latency from the time the frame left the sender. */
    static final List<String> WIRE = List.of("send->wire", "wire->read", "wire->applied");

    private static final int SLOTS = 1 << 16;
    private static final int MASK = SLOTS - 1;
    private static final int TAG = 0;
    private static final int READ = 1;
    private static final int FRAME = 2;
    private static final int PUBLISH = 3;
    private static final int READY = 4;
    private static final int CALL = 5;
    private static final int FIELDS = 6;
    private static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);
    private static final int WINDOW_MESSAGES = 1 << 17;
    private static final int SENT = 0;
    private static final int WINDOW_FIELDS = 1 + 4;
    private static final long EPISODE_GAP_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final long[] slots = new long[SLOTS * FIELDS];
    private final Histogram[] histograms = new Histogram[HOPS.size()];
    private final Histogram[] splitHistograms = new Histogram[READ_SPLIT.size()];
    private final Histogram[] wireHistograms = new Histogram[WIRE.size()];
    /** The read(2) that returned each message's last bytes, waited or not: what an ACK sent inside it costs shows here at any load. */
    private final Histogram readCalls = new Histogram(1, HIGHEST_NS, 3);
    private final WireTimes wireTimes;
    private final long[] windowHops = new long[WINDOW_MESSAGES * WINDOW_FIELDS];
    private int windowKept;
    private volatile boolean measuring;
    private long readyNs;
    private long callNs;
    private long readNs;
    private long frameNs;
    private long published;
    private long applied;
    private long matched;
    private long unmatched;
    private long outOfRange;
    private long waitedReads;
    private long wired;

    /** @param wireTimes when each stamped update left the sender, or null when that is not known. */
    HopRecorder(final WireTimes wireTimes)
    {
        this.wireTimes = wireTimes;
        for (int i = 0; i < histograms.length; i++)
        {
            histograms[i] = new Histogram(1, HIGHEST_NS, 3);
        }
        for (int i = 0; i < splitHistograms.length; i++)
        {
            splitHistograms[i] = new Histogram(1, HIGHEST_NS, 3);
        }
        for (int i = 0; i < wireHistograms.length; i++)
        {
            wireHistograms[i] = new Histogram(1, HIGHEST_NS, 3);
        }
    }

    /**
     * A frame reaches the feed (reactor).
     *
     * @param lastReadyNs when the selector found the socket readable before the read that completed it, 0 if that read did not wait.
     * @param lastCallNs  when that read's system call began.
     * @param lastReadNs  when the socket read that completed it returned ({@code System.nanoTime()} clock).
     * @param nowNs       now.
     */
    void onFrame(final long lastReadyNs, final long lastCallNs, final long lastReadNs, final long nowNs)
    {
        readyNs = lastReadyNs;
        callNs = lastCallNs;
        readNs = lastReadNs;
        frameNs = nowNs;
    }

    /**
     * A message is about to be published (reactor): its events are claimed and filled.
     *
     * @param exchangeTimeNs the exchange time of its last event (the tag the stage checks).
     * @param nowNs          now.
     */
    void onPublish(final long exchangeTimeNs, final long nowNs)
    {
        final int at = (int)(published++ & MASK) * FIELDS;
        slots[at + TAG] = exchangeTimeNs;
        slots[at + READ] = readNs;
        slots[at + FRAME] = frameNs;
        slots[at + PUBLISH] = nowNs;
        slots[at + READY] = readyNs;
        slots[at + CALL] = callNs;
    }

    /**
     * The stage thread finished a message (its last event); records its hops when it carries a send stamp.
     *
     * @param exchangeTimeNs the exchange time of its last event.
     * @param sendNs         its send time, or 0 for a message without one (a snapshot, a status).
     * @param appliedNs      now, after the book applied it.
     */
    void onMessageApplied(final long exchangeTimeNs, final long sendNs, final long appliedNs)
    {
        final int at = (int)(applied++ & MASK) * FIELDS;
        if (sendNs == 0 || !measuring)
        {
            return;
        }
        if (slots[at + TAG] != exchangeTimeNs)
        {
            unmatched++;
            return;
        }
        final long readAt = slots[at + READ];
        final long frameAt = slots[at + FRAME];
        final long publishAt = slots[at + PUBLISH];
        if (!record(0, readAt - sendNs) | !record(1, frameAt - readAt) | !record(2, publishAt - frameAt) | !record(3, appliedNs - publishAt) |
            !record(4, appliedNs - sendNs))
        {
            outOfRange++;
        }
        else if (windowKept < WINDOW_MESSAGES)
        {
            final int kept = windowKept++ * WINDOW_FIELDS;
            windowHops[kept + SENT] = sendNs;
            windowHops[kept + 1] = readAt - sendNs;
            windowHops[kept + 2] = frameAt - readAt;
            windowHops[kept + 3] = publishAt - frameAt;
            windowHops[kept + 4] = appliedNs - publishAt;
        }
        final long leftAt = wireTimes == null ? 0 : wireTimes.leavingNs(sendNs);
        if (leftAt >= sendNs && leftAt <= readAt)
        {
            wired++;
            wireHistograms[0].recordValue(Math.min(HIGHEST_NS, Math.max(1, leftAt - sendNs)));
            wireHistograms[1].recordValue(Math.min(HIGHEST_NS, Math.max(1, readAt - leftAt)));
            wireHistograms[2].recordValue(Math.min(HIGHEST_NS, Math.max(1, appliedNs - leftAt)));
        }
        final long callAt = slots[at + CALL];
        if (callAt != 0 && callAt <= readAt)
        {
            readCalls.recordValue(Math.min(HIGHEST_NS, Math.max(1, readAt - callAt)));
        }
        final long readyAt = slots[at + READY];
        if (readyAt != 0 && readyAt >= sendNs)
        {
            waitedReads++;
            splitHistograms[0].recordValue(Math.min(HIGHEST_NS, Math.max(1, readyAt - sendNs)));
            splitHistograms[1].recordValue(Math.min(HIGHEST_NS, Math.max(1, callAt - readyAt)));
            splitHistograms[2].recordValue(Math.min(HIGHEST_NS, Math.max(1, readAt - callAt)));
        }
        matched++;
    }

    /**
     * The window's messages measured from the time they left the sender ({@link #WIRE}): what the sender
     * spent on a message before its write(2) (encoding, TLS: an exchange's own work, not the receiver's)
     * and the wire-to-book latency without it. A message the table did not hold is only counted.
     *
     * @return one line; call after {@link #closeWindow}.
     */
    String wire()
    {
        final StringBuilder line = new StringBuilder("from the sender's write(2):");
        for (int i = 0; i < wireHistograms.length; i++)
        {
            line.append(String.format("%s %s p50 %.2f p99 %.2f", i == 0 ? "" : " |", WIRE.get(i), wireHistograms[i].getValueAtPercentile(50) / 1e3,
                wireHistograms[i].getValueAtPercentile(99) / 1e3));
        }
        return line.append(String.format(" µs (%d of %d messages)", wired, matched)).toString();
    }

    /**
     * send->read of the window's messages whose read waited for the selector (the arrival path of a
     * message that found the reactor idle), cut into {@link #READ_SPLIT}; a message read from a backlog
     * (its read found the bytes waiting) has no such cut and is only counted. Then the read(2) of every
     * message, waited or not ({@code every read(2)}).
     *
     * @return one line; call after {@link #closeWindow}.
     */
    String readSplit()
    {
        final StringBuilder line = new StringBuilder("send->read of reads that waited:");
        for (int i = 0; i < splitHistograms.length; i++)
        {
            line.append(String.format("%s %s p10 %.2f p50 %.2f p90 %.2f", i == 0 ? "" : " |", READ_SPLIT.get(i),
                splitHistograms[i].getValueAtPercentile(10) / 1e3, splitHistograms[i].getValueAtPercentile(50) / 1e3,
                splitHistograms[i].getValueAtPercentile(90) / 1e3));
        }
        return line.append(String.format(" µs (%d of %d messages; the others were read from a backlog) | every read(2) p10 %.2f p50 %.2f p90 %.2f µs (%d)",
            waitedReads, matched, readCalls.getValueAtPercentile(10) / 1e3, readCalls.getValueAtPercentile(50) / 1e3,
            readCalls.getValueAtPercentile(90) / 1e3, readCalls.getTotalCount())).toString();
    }

    /**
     * Where the window's slowest messages spent their time: for the messages whose send->applied is
     * over its {@code percentile}, the mean of each hop, each hop's share of their excess over that
     * hop's median, how often each hop held most of a message's excess, and how the messages group
     * into episodes (one episode: tail messages sent less than 1 ms apart).
     *
     * @param percentile e.g. 90.
     * @return one line; call after {@link #closeWindow}.
     */
    String tail(final double percentile)
    {
        final long thresholdNs = histograms[4].getValueAtPercentile(percentile);
        final long[] medianNs = new long[4];
        for (int hop = 0; hop < 4; hop++)
        {
            medianNs[hop] = histograms[hop].getValueAtPercentile(50);
        }
        final double[] sumNs = new double[4];
        final double[] excessNs = new double[4];
        final long[] dominant = new long[4];
        long messages = 0;
        long episodes = 0;
        long episodeMessages = 0;
        long largestEpisode = 0;
        long lastSentNs = 0;
        for (int i = 0; i < windowKept; i++)
        {
            final int at = i * WINDOW_FIELDS;
            final long totalNs = windowHops[at + 1] + windowHops[at + 2] + windowHops[at + 3] + windowHops[at + 4];
            if (totalNs <= thresholdNs)
            {
                continue;
            }
            messages++;
            int most = 0;
            for (int hop = 0; hop < 4; hop++)
            {
                final long ns = windowHops[at + 1 + hop];
                sumNs[hop] += ns;
                excessNs[hop] += Math.max(0, ns - medianNs[hop]);
                most = ns - medianNs[hop] > windowHops[at + 1 + most] - medianNs[most] ? hop : most;
            }
            dominant[most]++;
            final long sentNs = windowHops[at + SENT];
            if (messages == 1 || sentNs - lastSentNs > EPISODE_GAP_NS)
            {
                episodes++;
                episodeMessages = 0;
            }
            largestEpisode = Math.max(largestEpisode, ++episodeMessages);
            lastSentNs = sentNs;
        }
        if (messages == 0)
        {
            return String.format("tail > p%s: no message (%d kept)", percentile, windowKept);
        }
        final double excessTotal = excessNs[0] + excessNs[1] + excessNs[2] + excessNs[3];
        final StringBuilder line = new StringBuilder(String.format("tail > p%s (%.1f µs): %d messages in %d episodes (largest %d); mean µs",
            percentile, thresholdNs / 1e3, messages, episodes, largestEpisode));
        for (int hop = 0; hop < 4; hop++)
        {
            line.append(String.format(" %s %.1f", HOPS.get(hop), sumNs[hop] / messages / 1e3));
        }
        line.append("; share of the excess over each hop's median");
        for (int hop = 0; hop < 4; hop++)
        {
            line.append(String.format(" %s %.0f%%", HOPS.get(hop), excessTotal == 0 ? 0 : 100 * excessNs[hop] / excessTotal));
        }
        line.append("; hop with the most excess");
        for (int hop = 0; hop < 4; hop++)
        {
            line.append(' ').append(HOPS.get(hop)).append(' ').append(dominant[hop]);
        }
        return line.toString();
    }

    private boolean record(final int hop, final long ns)
    {
        if (ns < 0 || ns > HIGHEST_NS)
        {
            return false;
        }
        histograms[hop].recordValue(Math.max(1, ns));
        return true;
    }

    /** Starts the window. */
    void openWindow()
    {
        measuring = true;
    }

    /** Ends the window. */
    void closeWindow()
    {
        measuring = false;
    }

    /**
     * Forgets what earlier windows recorded (the warm-up's rehearsal window: it runs the stage thread through the
     * recording path so that the JIT compiles it before the measured window). Harness thread, while closed, once the
     * stage thread has gone past the earlier window; the next {@link #openWindow} hands the cleared state over.
     */
    void reset()
    {
        for (final Histogram[] group : List.of(histograms, splitHistograms, wireHistograms))
        {
            for (final Histogram histogram : group)
            {
                histogram.reset();
            }
        }
        readCalls.reset();
        windowKept = 0;
        matched = 0;
        unmatched = 0;
        outOfRange = 0;
        waitedReads = 0;
        wired = 0;
    }

    /** @return a copy of hop {@code i}'s histogram (ns), in the order of {@link #HOPS}. */
    Histogram histogram(final int hop)
    {
        return histograms[hop].copy();
    }

    /** @return messages of the window whose hops were recorded. */
    long matched()
    {
        return matched;
    }

    /** @return messages of the window with a send stamp whose slot did not match (overwritten or published around the recorder). */
    long unmatched()
    {
        return unmatched;
    }

    /** @return matched messages with at least one hop outside 0 .. 60 s (that hop not recorded). */
    long outOfRange()
    {
        return outOfRange;
    }
}
