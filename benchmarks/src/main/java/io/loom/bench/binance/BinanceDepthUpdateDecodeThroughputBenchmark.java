package io.loom.bench.binance;

import io.loom.api.instrument.InstrumentRegistry;
import io.loom.connectors.binance.BinanceFeed;
import io.loom.connectors.binance.BinanceMarket;
import io.loom.connectors.binance.BinanceMessage;
import io.loom.connectors.binance.BinanceMessageDecoder;
import io.loom.connectors.binance.BinanceSymbolExponents;
import io.loom.connectors.feed.FeedCounter;
import io.loom.runtime.capture.Capture;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Messages per second decoding the 6,470 recorded Binance spot ETHUSDT depthUpdate frames (in
 * order, round and round; 74–~12,000 bytes, median ~540). One operation is one message.
 *
 * <pre>
 *   frame ─┬─▶ loomFeed:     BinanceFeed.onFrame: decode + chain check + apply to the replica book
 *          │                   + bookTicker bookkeeping + BOOK_LEVEL events into a discarding publisher
 *          ├─▶ loomDecoder:  BinanceMessageDecoder.decodeFrame + parseDecimals(-8, -8) (decode alone:
 *          │                   the symbol's exponents known when it is read, so the levels are read in
 *          │                   one pass straight into the message's level arrays, then summed)
 *          ├─▶ jackson:      Jackson JsonParser over the same bytes, the same fields, the same exact
 *          │                   mantissas (JacksonDepthUpdateDecoder: no String per value), each summed
 *          │                   as it is read (keeps nothing)
 *          └─▶ jacksonIntoLevels: the same, into the same kind of sink as Loom's: every level's side,
 *                              price and quantity written into pre-allocated arrays, summed after
 * </pre>
 *
 * <p>{@code loomFeed} replays the session's CONNECT, depth frames and REST snapshot in receive
 * order, so its book is synchronised as live (one snapshot of 2,000 levels per round of 6,472
 * operations, ~0.3 level per operation, is included). {@link #setUp()} checks that
 * {@code loomDecoder} and {@code jackson} agree on every frame, and the tear-down that the feed
 * saw no error or gap. {@code -prof gc} gives B/op.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class BinanceDepthUpdateDecodeThroughputBenchmark
{
    private RecordedBinanceSession session;
    private Capture capture;
    private DirectBuffer frames;
    private byte[] frameBytes;
    private final BinanceMessageDecoder decoder = new BinanceMessageDecoder((buffer, offset, length) -> BinanceSymbolExponents.of(-8, -8));
    private final JacksonDepthUpdateDecoder jacksonDecoder = new JacksonDepthUpdateDecoder(false);
    private final JacksonDepthUpdateDecoder jacksonIntoLevelsDecoder = new JacksonDepthUpdateDecoder(true);
    private final DiscardingEventPublisher publisher = new DiscardingEventPublisher(4096);
    private BinanceFeed feed;
    private int nextDepthFrame;
    private int nextBookRecord;

    /**
     * Loads the session and checks that Loom's decoder and the Jackson baseline agree on every frame.
     *
     * @throws IOException if Jackson fails.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        session = RecordedBinanceSession.load();
        capture = session.capture;
        frames = capture.buffer();
        frameBytes = frames.byteArray();
        for (final int record : session.depthFrames)
        {
            final long loom = decodeWithLoom(record);
            final long jackson = jacksonDecoder.decode(frameBytes, capture.payloadOffset(record), capture.payloadLength(record));
            final long jacksonIntoLevels = jacksonIntoLevelsDecoder.decode(frameBytes, capture.payloadOffset(record), capture.payloadLength(record));
            if (loom != jackson || loom != jacksonIntoLevels)
            {
                throw new IllegalStateException("decoders disagree on record " + record + ": " + loom + " != " + jackson + " / " + jacksonIntoLevels);
            }
        }
        final InstrumentRegistry registry = new InstrumentRegistry();
        registry.intern(BinanceMarket.SPOT.venue(), "ETHUSDT", -8, -8);
        feed = new BinanceFeed(BinanceMarket.SPOT, registry, List.of("ETHUSDT"), false, publisher, instrumentId -> { });
    }

    /** Fails a {@code loomFeed} trial if the feed saw anything but a clean session (the other benchmarks leave it unused). */
    @TearDown(Level.Trial)
    public void checkFeed()
    {
        final boolean used = feed.counters().get(FeedCounter.FRAMES) > 0;
        if (used && (feed.counters().get(FeedCounter.ERRORS) != 0 || feed.counters().get(FeedCounter.GAPS) != 0 || publisher.published() == 0))
        {
            throw new IllegalStateException("the feed did not run clean: " + feed.counters() + " " + feed.counters().lastError());
        }
    }

    /**
     * Loom: the whole feed path for one record (decode, sync, apply, publish).
     *
     * @return events published so far.
     * @throws InterruptedException never (the publisher does not wait).
     */
    @Benchmark
    public long loomFeed() throws InterruptedException
    {
        final int record = session.bookRecords[nextBookRecord];
        session.feed(feed, record);
        if (++nextBookRecord == session.bookRecords.length)
        {
            nextBookRecord = 0;
            feed.onDisconnected(capture.recvNs(record));
        }
        return publisher.published();
    }

    /**
     * Loom: decoding alone, to mantissas at 1e-8.
     *
     * @return a checksum of the decoded values.
     */
    @Benchmark
    public long loomDecoder()
    {
        final long sum = decodeWithLoom(session.depthFrames[nextDepthFrame]);
        nextDepthFrame = nextDepthFrame + 1 == session.depthFrames.length ? 0 : nextDepthFrame + 1;
        return sum;
    }

    /**
     * Jackson's streaming parser, the same fields and mantissas.
     *
     * @return a checksum of the decoded values.
     * @throws IOException if Jackson fails.
     */
    @Benchmark
    public long jackson() throws IOException
    {
        final int record = session.depthFrames[nextDepthFrame];
        nextDepthFrame = nextDepthFrame + 1 == session.depthFrames.length ? 0 : nextDepthFrame + 1;
        return jacksonDecoder.decode(frameBytes, capture.payloadOffset(record), capture.payloadLength(record));
    }

    /**
     * Jackson's streaming parser, the same fields and mantissas, every level written into arrays as
     * Loom's decoder writes them, then summed.
     *
     * @return a checksum of the decoded values.
     * @throws IOException if Jackson fails.
     */
    @Benchmark
    public long jacksonIntoLevels() throws IOException
    {
        final int record = session.depthFrames[nextDepthFrame];
        nextDepthFrame = nextDepthFrame + 1 == session.depthFrames.length ? 0 : nextDepthFrame + 1;
        return jacksonIntoLevelsDecoder.decode(frameBytes, capture.payloadOffset(record), capture.payloadLength(record));
    }

    private long decodeWithLoom(final int record)
    {
        decoder.decodeFrame(frames, capture.payloadOffset(record), capture.payloadLength(record));
        decoder.parseDecimals(-8, -8);
        return sum(decoder.message());
    }

    /**
     * The sum of a decoded message, as Jackson's rows sum theirs. A method of its own: inlined into
     * {@link #decodeWithLoom} after the decoder, the level accessors exceeded C2's inlining budget
     * ({@code -XX:+PrintInlining}: "size > DesiredMethodLimit") and cost a call per level.
     */
    private static long sum(final BinanceMessage m)
    {
        long sum = m.eventTimeMs() + m.firstUpdateId() + m.finalUpdateId() + m.symbolLength();
        for (int i = 0, n = m.levelCount(); i < n; i++)
        {
            sum += m.levelPrice(i) + m.levelQuantity(i) + 1;
        }
        return sum;
    }
}
