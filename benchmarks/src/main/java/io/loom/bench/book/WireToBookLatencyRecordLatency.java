package io.loom.bench.book;

import io.loom.api.event.EventKind;
import io.loom.api.event.MarketEvent;
import io.loom.api.event.Side;
import io.loom.api.fiber.NanoClock;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.instrument.Venue;
import io.loom.api.stage.DetachedStageContext;
import io.loom.runtime.book.WireToBookLatencyStage;
import io.loom.runtime.fiber.EpochOffset;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per book message that {@link WireToBookLatencyStage} measures on the stage thread:
 * read the clock, subtract the message's receive time, record into the instrument's HdrHistogram
 * recorder; one operation is one message (its last event), over 16 instruments in turn.
 *
 * <pre>
 *   MarketEvent (last of message, receive time = now - 20..80 µs) ──onEvent──▶ WireToBookLatencyStage ──▶ SingleWriterRecorder[16]
 *
 *   latencyStage: the stage itself
 *   clockOnly:    the same clock read and subtraction, nothing recorded (what measuring costs before recording)
 * </pre>
 *
 * <p>{@code -prof gc} gives B/op: the stage's must be 0. Tear-down checks that every message was
 * recorded (drained from the recorders).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class WireToBookLatencyRecordLatency
{
    private static final int INSTRUMENTS = 16;
    private static final int MESSAGES = 4096;

    private final MarketEvent[] events = new MarketEvent[MESSAGES];
    private final long[] ageNs = new long[MESSAGES];
    private WireToBookLatencyStage stage;
    private long epochOffsetNs;
    private long measured;

    /** Makes the stage over 16 instruments and the messages' events. */
    @Setup(Level.Trial)
    public void setUp()
    {
        final InstrumentRegistry instruments = new InstrumentRegistry();
        final int[] ids = new int[INSTRUMENTS];
        for (int i = 0; i < INSTRUMENTS; i++)
        {
            ids[i] = instruments.intern(Venue.SYNTHETIC, "SYM" + i, -2, -8).id();
        }
        epochOffsetNs = EpochOffset.measure(NanoClock.SYSTEM);
        stage = new WireToBookLatencyStage(NanoClock.SYSTEM, epochOffsetNs);
        stage.onStart(new DetachedStageContext("latency", instruments, instrumentId -> { }));
        for (int i = 0; i < MESSAGES; i++)
        {
            events[i] = new MarketEvent().bookLevel(ids[i % INSTRUMENTS], Side.BID, 100 + i, 1).flags(MarketEvent.LAST_OF_MESSAGE);
            ageNs[i] = 20_000 + (i * 7919L) % 60_000;
        }
    }

    /** Checks that every message of the trial was recorded. */
    @TearDown(Level.Trial)
    public void checkRecorded()
    {
        long recorded = 0;
        for (int id = 0; id <= INSTRUMENTS; id++)
        {
            recorded += stage.drainInto(id, WireToBookLatencyStage.newHistogram());
        }
        if (recorded != measured || stage.unmeasured() != 0 || stage.clamped() != 0)
        {
            throw new IllegalStateException("recorded " + recorded + " of " + measured + " messages, unmeasured " + stage.unmeasured() +
                ", clamped " + stage.clamped());
        }
    }

    /**
     * The stage.
     *
     * @return the events' kinds' ordinals, so nothing is optimised away.
     */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public int latencyStage()
    {
        final long nowNs = epochOffsetNs + System.nanoTime();
        int sink = 0;
        for (int i = 0; i < MESSAGES; i++)
        {
            final MarketEvent event = events[i].receiveTimeNs(nowNs - ageNs[i]);
            stage.onEvent(event, i, false);
            sink += event.kind().ordinal();
        }
        measured += MESSAGES;
        return sink;
    }

    /**
     * The clock read and subtraction alone.
     *
     * @return the sum of the latencies, so nothing is optimised away.
     */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long clockOnly()
    {
        final long nowNs = epochOffsetNs + System.nanoTime();
        long sink = 0;
        for (int i = 0; i < MESSAGES; i++)
        {
            final MarketEvent event = events[i].receiveTimeNs(nowNs - ageNs[i]);
            if (event.isLastOfMessage() && event.kind() != EventKind.TRADE)
            {
                sink += epochOffsetNs + System.nanoTime() - event.receiveTimeNs();
            }
        }
        return sink;
    }
}
