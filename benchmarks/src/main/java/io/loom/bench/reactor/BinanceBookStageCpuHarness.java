package io.loom.bench.reactor;

import io.loom.api.event.EventKind;
import io.loom.api.event.MarketEvent;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.source.EventPublisher;
import io.loom.api.stage.DetachedStageContext;
import io.loom.api.stage.Stage;
import io.loom.bench.e2e.BinanceDepthStream;
import io.loom.bench.e2e.DepthLoop;
import io.loom.bench.e2e.LatencyRecorder;
import io.loom.connectors.binance.BinanceFeed;
import io.loom.connectors.binance.BinanceMarket;
import io.loom.runtime.book.OrderBook;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.capture.Capture;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * What the books thread spends per Binance message, apart from the ring: the e2e stream's exact
 * frames are decoded once through {@link BinanceFeed} into a copy of every event (flags as the
 * ring's publisher stamps them), then the copies are applied on this thread, in thread CPU, cases
 * alternated per round.
 *
 * <pre>
 *   read   every field the book stage reads, summed (the slots' memory, no book)
 *   put    OrderBook.put of every BOOK_LEVEL inside beginUpdate/endUpdate per message, snapshot clear (the book alone)
 *   stage  OrderBookStage.onEvent of every event (the stage's whole per-event path)
 *   latency  stage, then per event a second stage as the e2e books thread's LoomLatencyStage: at a message's
 *          last event the time now against the message's stamp into a LatencyRecorder (window open, epoch set so
 *          that every message's latency is in the recorder's range and recorded)
 *   stage - put - read = what the stage adds per message to the book itself (digest, checks, state, view)
 * </pre>
 *
 * <p>Run: {@code java -cp benchmarks.jar io.loom.bench.reactor.BinanceBookStageCpuHarness <capture> [rounds] [messages] [cases]}.
 *
 * <p>Thread-safety: a main program, one thread.
 */
public final class BinanceBookStageCpuHarness
{
    private static final String SYMBOL = "ETHUSDT";
    private static final int PASSES = 4;

    private BinanceBookStageCpuHarness()
    {
    }

    /**
     * Runs the rounds and prints each case's CPU per message and per event.
     *
     * @param args the Binance capture the e2e harness streams, optionally the rounds (default 9) and
     *             the messages decoded (default 30000) and the cases (default read,put,stage; also latency).
     * @throws Exception if the capture cannot be read or the feed reports errors.
     */
    public static void main(final String[] args) throws Exception
    {
        final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        final int messages = args.length > 2 ? Integer.parseInt(args[2]) : 30_000;
        final String[] cases = (args.length > 3 ? args[3] : "read,put,stage").split(",");
        final BinanceDepthStream stream = new BinanceDepthStream(DepthLoop.fromCapture(Capture.load(Path.of(args[0])), SYMBOL));
        final BinanceStreamFrames frames = BinanceStreamFrames.encode(stream, messages);
        final byte[] snapshot = stream.restBody("/api/v3/depth?symbol=" + SYMBOL + "&limit=1000", 0);
        final InstrumentRegistry instruments = new InstrumentRegistry();
        final RecordingPublisher recorded = record(frames, snapshot, instruments, messages);
        final MarketEvent[] events = recorded.events();
        final long lastStamp = lastStamp(events);
        System.out.printf(Locale.ROOT, "Binance e2e stream decoded once: %d messages, %d events (%.1f per message), %d passes per case and round%n",
            recorded.messages(), events.length, events.length / (double)recorded.messages(), PASSES);
        final long[][] nsPerMessage = new long[cases.length][rounds];
        long checksum = 0;
        for (int round = -3; round < rounds; round++) // three rounds warm every case up
        {
            for (int c = 0; c < cases.length; c++)
            {
                final long startNs = BinanceFramesSource.THREADS.getCurrentThreadCpuTime();
                for (int pass = 0; pass < PASSES; pass++)
                {
                    checksum += run(cases[c], events, instruments, lastStamp);
                }
                final long ns = BinanceFramesSource.THREADS.getCurrentThreadCpuTime() - startNs;
                if (round >= 0)
                {
                    nsPerMessage[c][round] = ns / ((long)PASSES * recorded.messages());
                }
            }
        }
        System.out.printf(Locale.ROOT, "%-6s %14s %14s %11s %14s  %s%n", "case", "ns/msg median", "ns/event", "ns/msg min", "ns/event min",
            "rounds (ns/msg)");
        for (int c = 0; c < cases.length; c++)
        {
            final long[] sorted = nsPerMessage[c].clone();
            Arrays.sort(sorted);
            final long median = sorted[sorted.length / 2];
            final double messagesPerEvent = recorded.messages() / (double)events.length;
            System.out.printf(Locale.ROOT, "%-6s %14d %14.1f %11d %14.1f  %s%n", cases[c], median, median * messagesPerEvent, sorted[0],
                sorted[0] * messagesPerEvent, Arrays.toString(nsPerMessage[c]));
        }
        System.out.println("checksum " + checksum);
        final LatencyRecorder recorder = new LatencyRecorder(0, System.nanoTime() - lastStamp);
        latency(events, instruments, recorder);
        System.out.printf(Locale.ROOT, "latency case: %d of %d messages recorded (%d out of range)%n", recorder.uncorrectedHistogram().getTotalCount(),
            recorder.windowMessages(), recorder.outOfRange());
        final OrderBookStage counted = applied(events, instruments);
        System.out.printf(Locale.ROOT, "stage per message: %.1f levels applied, %.1f removals of absent levels (events applied %d, messages %d)%n",
            counted.eventsApplied() / (double)counted.messages(), counted.absentLevelRemovals() / (double)counted.messages(), counted.eventsApplied(),
            counted.messages());
    }

    private static long run(final String name, final MarketEvent[] events, final InstrumentRegistry instruments, final long lastStamp)
    {
        return switch (name)
        {
            case "read" -> read(events);
            case "put" -> put(events);
            case "latency" -> latency(events, instruments, new LatencyRecorder(0, System.nanoTime() - lastStamp));
            default -> stage(events, instruments);
        };
    }

    private static long read(final MarketEvent[] events)
    {
        long sum = 0;
        for (final MarketEvent event : events)
        {
            sum += event.price() ^ event.quantity() ^ event.sequence() ^ event.instrumentId() ^ event.flags() ^ event.levelHint() ^
                event.kind().ordinal() ^ event.side().ordinal();
        }
        return sum;
    }

    private static long put(final MarketEvent[] events)
    {
        final OrderBook book = new OrderBook(events[0].instrumentId(), 2048);
        long sum = 0;
        for (final MarketEvent event : events)
        {
            if (event.isFirstOfMessage())
            {
                book.beginUpdate();
            }
            if (event.kind() == EventKind.BOOK_LEVEL)
            {
                sum += book.put(event.side(), event.price(), event.quantity(), event.levelHint());
            }
            else if (event.kind() == EventKind.SNAPSHOT_BEGIN)
            {
                book.clear();
            }
            if (event.isLastOfMessage())
            {
                book.endUpdate();
            }
        }
        return sum + book.bidPrice(0);
    }

    private static long stage(final MarketEvent[] events, final InstrumentRegistry instruments)
    {
        return applied(events, instruments).view().digest();
    }

    /** @return the stream's latest stamp ({@code E}): an epoch that many ns before now makes every latency from now on positive. */
    private static long lastStamp(final MarketEvent[] events)
    {
        long last = 0;
        for (final MarketEvent event : events)
        {
            last = Math.max(last, event.exchangeTimeNs() / 1_000_000);
        }
        return last;
    }

    private static long latency(final MarketEvent[] events, final InstrumentRegistry instruments, final LatencyRecorder recorder)
    {
        final OrderBookStage stage = started(instruments);
        recorder.openWindow();
        final AppliedLatencyStage follower = new AppliedLatencyStage(recorder);
        for (int i = 0; i < events.length; i++)
        {
            stage.onEvent(events[i], i, false);
            follower.onEvent(events[i], i, false);
        }
        return stage.view().digest() + recorder.applied();
    }

    private static OrderBookStage applied(final MarketEvent[] events, final InstrumentRegistry instruments)
    {
        final OrderBookStage stage = started(instruments);
        for (int i = 0; i < events.length; i++)
        {
            stage.onEvent(events[i], i, false);
        }
        if (stage.resyncsRequested() != 0 || stage.rejectedEvents() != 0)
        {
            throw new IllegalStateException("the stage rejected events or asked for a resync: " + stage.rejectedEvents() + " / " + stage.resyncsRequested());
        }
        return stage;
    }

    private static OrderBookStage started(final InstrumentRegistry instruments)
    {
        final OrderBookStage stage = new OrderBookStage();
        stage.onStart(new DetachedStageContext("books", instruments, instrumentId ->
        {
            throw new IllegalStateException("the recorded stream must never need a resync: instrument " + instrumentId);
        }));
        return stage;
    }

    private static RecordingPublisher record(final BinanceStreamFrames frames, final byte[] snapshot, final InstrumentRegistry instruments,
        final int messages) throws InterruptedException
    {
        instruments.intern(BinanceMarket.SPOT.venue(), SYMBOL, -8, -8);
        final RecordingPublisher publisher = new RecordingPublisher();
        final BinanceFeed feed = BinanceFramesSource.syncedFeed(instruments, publisher, snapshot);
        final UnsafeBuffer payloads = new UnsafeBuffer(frames.wire(), 0, frames.wireBytes());
        for (int i = 0; i < messages; i++)
        {
            feed.onFrame(payloads, frames.payloadOffset(i), frames.payloadLength(i), i);
        }
        return publisher;
    }

    /** What the e2e harness's {@code LoomLatencyStage} does without hops: a message's stamp and the time it was applied, at its last event. */
    private static final class AppliedLatencyStage implements Stage
    {
        private final LatencyRecorder recorder;

        AppliedLatencyStage(final LatencyRecorder recorder)
        {
            this.recorder = recorder;
        }

        @Override
        public void onEvent(final MarketEvent event, final long sequence, final boolean endOfBatch)
        {
            if (event.isLastOfMessage() && event.kind() == EventKind.BOOK_LEVEL && event.exchangeTimeNs() > 0)
            {
                recorder.onApplied(event.exchangeTimeNs() / 1_000_000, System.nanoTime());
            }
        }
    }

    /** Copies every published event, stamped first/last of message as the ring's publisher does. */
    private static final class RecordingPublisher implements EventPublisher, EventPublisher.MessageClaim
    {
        private MarketEvent[] events = new MarketEvent[1 << 16];
        private int count;
        private int size;
        private int messages;

        @Override
        public MessageClaim claim(final int eventCount)
        {
            size = eventCount;
            while (count + size > events.length)
            {
                events = Arrays.copyOf(events, events.length * 2);
            }
            for (int i = 0; i < size; i++)
            {
                events[count + i] = new MarketEvent();
            }
            return this;
        }

        @Override
        public MarketEvent event(final int index)
        {
            final int flags = (index == 0 ? MarketEvent.FIRST_OF_MESSAGE : 0) | (index == size - 1 ? MarketEvent.LAST_OF_MESSAGE : 0);
            return events[count + index].messageStamp(0, flags);
        }

        @Override
        public int size()
        {
            return size;
        }

        @Override
        public boolean publish()
        {
            count += size;
            messages++;
            return true;
        }

        MarketEvent[] events()
        {
            return Arrays.copyOf(events, count);
        }

        int messages()
        {
            return messages;
        }
    }
}
