package io.loom.runtime.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loom.api.event.EventKind;
import io.loom.api.event.MarketEvent;
import io.loom.api.event.Side;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.instrument.Venue;
import io.loom.api.stage.StageContext;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Wire-to-book latency: what is recorded, what is not, what is counted, and no allocation per event. */
class WireToBookLatencyStageTest
{
    private static final long EPOCH_OFFSET_NS = 1_700_000_000_000_000_000L;

    private final InstrumentRegistry instruments = new InstrumentRegistry();
    private final int xbt = instruments.intern(Venue.KRAKEN, "XBT/USD", -1, -8).id();
    private final int eth = instruments.intern(Venue.KRAKEN, "ETH/USD", -2, -8).id();
    private final long[] nowNs = {1_000_000};
    private final WireToBookLatencyStage stage = new WireToBookLatencyStage(() -> nowNs[0], EPOCH_OFFSET_NS);
    private final MarketEvent event = new MarketEvent();

    @Test
    void shouldRecordFromReceiveTimeToTheLastEventOfEachBookMessage() throws Exception
    {
        stage.onStart(context());
        apply(xbt, EventKind.BOOK_LEVEL, 0, 10_000);
        apply(xbt, EventKind.BOOK_LEVEL, MarketEvent.LAST_OF_MESSAGE, 20_000);
        apply(xbt, EventKind.BOOK_LEVEL, MarketEvent.FIRST_OF_MESSAGE | MarketEvent.LAST_OF_MESSAGE, 40_000);
        apply(eth, EventKind.TRADE, MarketEvent.FIRST_OF_MESSAGE | MarketEvent.LAST_OF_MESSAGE, 5_000);

        final Histogram xbtLatency = WireToBookLatencyStage.newHistogram();
        assertEquals(2, stage.drainInto(xbt, xbtLatency), "two book messages, each counted at its last event");
        assertEquals(20_000, xbtLatency.getMinValue(), 20_000 / 100.0);
        assertEquals(40_000, xbtLatency.getMaxValue(), 40_000 / 100.0);
        assertEquals(0, stage.drainInto(xbt, xbtLatency), "drained");
        assertEquals(0, stage.drainInto(eth, WireToBookLatencyStage.newHistogram()), "a trade is not a book message");
        assertEquals(0, stage.drainInto(99, WireToBookLatencyStage.newHistogram()), "an unknown instrument has nothing");
    }

    @Test
    void shouldCountWhatItCannotMeasureAndClampWhatIsTooLate() throws Exception
    {
        stage.onStart(context());
        event.clear().instrumentId(xbt).kind(EventKind.STATUS).flags(MarketEvent.LAST_OF_MESSAGE).receiveTimeNs(0);
        stage.onEvent(event, 0, true);
        apply(xbt, EventKind.BOOK_LEVEL, MarketEvent.LAST_OF_MESSAGE, -5);
        apply(xbt, EventKind.BOOK_LEVEL, MarketEvent.LAST_OF_MESSAGE, TimeUnit.SECONDS.toNanos(30));

        assertEquals(2, stage.unmeasured(), "no receive time, and a receive time after now");
        assertEquals(1, stage.clamped());
        final Histogram latency = WireToBookLatencyStage.newHistogram();
        assertEquals(1, stage.drainInto(xbt, latency));
        assertTrue(latency.valuesAreEquivalent(WireToBookLatencyStage.HIGHEST_TRACKABLE_NS, latency.getMaxValue()));
    }

    @Test
    void shouldRecordAnInstrumentInternedAfterStart() throws Exception
    {
        stage.onStart(context());
        final int late = instruments.intern(Venue.KRAKEN, "SOL/USD", -2, -8).id();
        apply(late, EventKind.BOOK_LEVEL, MarketEvent.LAST_OF_MESSAGE, 7_000);
        assertEquals(1, stage.drainInto(late, WireToBookLatencyStage.newHistogram()));
    }

    @Test
    void shouldNotAllocatePerEvent() throws Exception
    {
        stage.onStart(context());
        for (int i = 0; i < 200_000; i++)
        {
            apply(i % 2 == 0 ? xbt : eth, EventKind.BOOK_LEVEL, MarketEvent.LAST_OF_MESSAGE, 1_000 + i % 50_000);
        }
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().threadId();
        final long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 200_000; i++)
        {
            apply(i % 2 == 0 ? xbt : eth, EventKind.BOOK_LEVEL, MarketEvent.LAST_OF_MESSAGE, 1_000 + i % 50_000);
        }
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;
        // one object per event would be at least 16 B x 200,000; under 1 KiB leaves room only for a one-off
        assertTrue(allocated < 1024, allocated + " bytes allocated over 200,000 events");
        assertEquals(400_000, stage.drainInto(xbt, WireToBookLatencyStage.newHistogram()) + stage.drainInto(eth, WireToBookLatencyStage.newHistogram()));
    }

    /** Applies one event received {@code latencyNs} before the stage's now. */
    private void apply(final int instrumentId, final EventKind kind, final int flags, final long latencyNs) throws Exception
    {
        event.clear().instrumentId(instrumentId).kind(kind).side(Side.BID).flags(flags)
            .receiveTimeNs(EPOCH_OFFSET_NS + nowNs[0] - latencyNs);
        stage.onEvent(event, 0, true);
    }

    private StageContext context()
    {
        return new StageContext()
        {
            @Override
            public String stageName()
            {
                return "latency";
            }

            @Override
            public InstrumentRegistry instruments()
            {
                return instruments;
            }

            @Override
            public <V> V upstreamView(final String stageName, final Class<V> type)
            {
                throw new IllegalArgumentException(stageName);
            }

            @Override
            public void requestResync(final int instrumentId)
            {
            }
        };
    }
}
