package io.loom.runtime.book;

import io.loom.api.event.EventKind;
import io.loom.api.event.MarketEvent;
import io.loom.api.fiber.NanoClock;
import io.loom.api.stage.Stage;
import io.loom.api.stage.StageContext;
import io.loom.runtime.fiber.EpochOffset;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Measures wire-to-book latency per instrument: at the last event of each book message (levels,
 * snapshot or status; trades and top-of-book quotes are not book messages) it records {@code now - receiveTimeNs}, the
 * time from the message's bytes arriving on the socket to the order-book stages having applied
 * it, into the instrument's HdrHistogram recorder. Run it after the order-book stage(s), on their
 * thread, so "applied" is exact. Live sessions stamp receive times in epoch ns (reactor clock plus
 * an {@link EpochOffset}); "now" is read the same way, so the two agree to about a microsecond.
 *
 * <pre>
 *   ring ──▶ books ──▶ WireToBookLatencyStage ──record (stage thread)──▶ SingleWriterRecorder[instrument]
 *                                                                          │ drainInto (reader thread)
 *                                                                          ▼
 *                                                                      cumulative Histogram
 * </pre>
 *
 * <p>Histograms track 1 ns to 10 s with 2 significant digits (±1%). A latency above 10 s is
 * recorded as 10 s and counted ({@link #clamped()}); a message without a receive time (a status
 * the pipeline made itself) or stamped after "now" (clock error) is not recorded and counted
 * ({@link #unmeasured()}).
 *
 * <p>Allocation: none per event; the first message of an instrument the stage has no recorder
 * for yet allocates one (recorders for the pipeline's instruments are made at start).
 *
 * <p>Thread-safety: {@link Stage} methods on the stage's thread (the single writer);
 * {@link #drainInto} from one reader thread at a time; counters from any thread.
 */
public final class WireToBookLatencyStage implements Stage
{
    /** The highest latency a histogram tracks, ns. */
    public static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(10);
    /** Significant decimal digits the histograms keep. */
    public static final int SIGNIFICANT_DIGITS = 2;

    private final NanoClock clock;
    private final long epochOffsetNs;
    private final AtomicLong clamped = new AtomicLong();
    private final AtomicLong unmeasured = new AtomicLong();
    private volatile SingleWriterRecorder[] recorders = new SingleWriterRecorder[0];
    private Histogram[] recycled = new Histogram[0];

    /**
     * @param clock         the clock receive times were taken with (the reactor's).
     * @param epochOffsetNs what maps it to epoch ns, as the sessions stamp receive times.
     */
    public WireToBookLatencyStage(final NanoClock clock, final long epochOffsetNs)
    {
        this.clock = clock;
        this.epochOffsetNs = epochOffsetNs;
    }

    /** @return a stage for live sessions: the system clock, its epoch offset measured now. */
    public static WireToBookLatencyStage live()
    {
        return new WireToBookLatencyStage(NanoClock.SYSTEM, EpochOffset.measure(NanoClock.SYSTEM));
    }

    /** @return a histogram shaped as the recorders' (range and precision), for a reader to accumulate into. */
    public static Histogram newHistogram()
    {
        return new Histogram(HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    }

    @Override
    public void onStart(final StageContext context)
    {
        ensureRecorder(context.instruments().size());
    }

    @Override
    public void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch)
    {
        if (!event.isLastOfMessage() || event.kind() == EventKind.TRADE || event.kind() == EventKind.TOP_OF_BOOK)
        {
            return;
        }
        final long receiveTimeNs = event.receiveTimeNs();
        long latencyNs = epochOffsetNs + clock.nanoTime() - receiveTimeNs;
        if (receiveTimeNs == 0 || latencyNs < 0)
        {
            unmeasured.incrementAndGet();
            return;
        }
        if (latencyNs > HIGHEST_TRACKABLE_NS)
        {
            clamped.incrementAndGet();
            latencyNs = HIGHEST_TRACKABLE_NS;
        }
        final int instrumentId = event.instrumentId();
        SingleWriterRecorder[] current = recorders;
        if (instrumentId >= current.length || current[instrumentId] == null)
        {
            current = ensureRecorder(instrumentId);
        }
        current[instrumentId].recordValue(latencyNs);
    }

    /**
     * Moves what was recorded for an instrument since the last call into {@code cumulative}.
     *
     * @param instrumentId the instrument.
     * @param cumulative   a histogram from {@link #newHistogram()}, owned by the reader.
     * @return the messages recorded since the last call (0 if none or no recorder yet).
     */
    public long drainInto(final int instrumentId, final Histogram cumulative)
    {
        final SingleWriterRecorder[] current = recorders;
        if (instrumentId < 0 || instrumentId >= current.length || current[instrumentId] == null)
        {
            return 0;
        }
        if (instrumentId >= recycled.length)
        {
            recycled = Arrays.copyOf(recycled, current.length);
        }
        final Histogram interval = current[instrumentId].getIntervalHistogram(recycled[instrumentId]);
        recycled[instrumentId] = interval;
        cumulative.add(interval);
        return interval.getTotalCount();
    }

    /** @return latencies above {@link #HIGHEST_TRACKABLE_NS}, recorded as that. */
    public long clamped()
    {
        return clamped.get();
    }

    /** @return book messages without a receive time or stamped after "now", not recorded. */
    public long unmeasured()
    {
        return unmeasured.get();
    }

    /** Makes recorders up to {@code instrumentId} (stage thread) and publishes the array. */
    private SingleWriterRecorder[] ensureRecorder(final int instrumentId)
    {
        final SingleWriterRecorder[] grown = Arrays.copyOf(recorders, Math.max(recorders.length, instrumentId + 1));
        for (int i = 0; i < grown.length; i++)
        {
            if (grown[i] == null)
            {
                grown[i] = new SingleWriterRecorder(HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
            }
        }
        recorders = grown;
        return grown;
    }
}
