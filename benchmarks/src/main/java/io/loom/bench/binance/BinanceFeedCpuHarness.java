package io.loom.bench.binance;

import io.loom.api.instrument.InstrumentRegistry;
import io.loom.connectors.binance.BinanceFeed;
import io.loom.connectors.binance.BinanceMarket;
import io.loom.connectors.binance.BinanceMessage;
import io.loom.connectors.binance.BinanceMessageDecoder;
import io.loom.connectors.binance.BinanceSymbolExponents;
import io.loom.connectors.feed.FeedCounter;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureRecordKind;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.agrona.DirectBuffer;

/**
 * What the reactor spends per Binance depth message in the connector, in thread CPU time (wall
 * clock is noise on a shared machine): the recorded spot ETHUSDT session's frames, cases
 * alternated per round in one JVM, every case over the same records.
 *
 * <pre>
 *   decoder     BinanceMessageDecoder.decodeFrame + parseDecimals(-8, -8) of every depth frame, levels summed
 *               (the JMH benchmark's loomDecoder)
 *   feed        BinanceFeed.onFrame / onRestResponse / onConnected of the session's book records in order:
 *               decode, chain rule, BOOK_LEVEL events into a discarding publisher (the JMH loomFeed)
 *   decoder-hot, feed-hot  the same, each frame handled twice in a row, the second timed: the frame in cache,
 *               as on the reactor, which decodes a frame it has just decrypted
 * </pre>
 *
 * <p>Run: {@code java -cp benchmarks.jar io.loom.bench.binance.BinanceFeedCpuHarness [rounds] [cases]}; prints
 * each case's minimum and median of the rounds in CPU ns per message. Uses only the connector's public API, so the
 * class also runs against an older benchmarks jar (compiled against it) for an A/B.
 *
 * <p>Thread-safety: a main program, one thread.
 */
public final class BinanceFeedCpuHarness
{
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final RecordedBinanceSession session = RecordedBinanceSession.load();
    private final Capture capture = session.capture;
    private final DirectBuffer frames = capture.buffer();
    private final BinanceMessageDecoder decoder = new BinanceMessageDecoder((buffer, offset, length) -> BinanceSymbolExponents.of(-8, -8));
    private final DiscardingEventPublisher publisher = new DiscardingEventPublisher(4096);
    private final BinanceFeed feed;

    private BinanceFeedCpuHarness()
    {
        final InstrumentRegistry registry = new InstrumentRegistry();
        registry.intern(BinanceMarket.SPOT.venue(), "ETHUSDT", -8, -8);
        feed = new BinanceFeed(BinanceMarket.SPOT, registry, List.of("ETHUSDT"), false, publisher, instrumentId -> { });
    }

    /**
     * Runs the rounds and prints each case's CPU per message.
     *
     * @param args optionally the rounds (default 15) and the cases (default decoder,feed,decoder-hot,feed-hot).
     * @throws InterruptedException never (the publisher does not wait).
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        final String[] cases = (args.length > 1 ? args[1] : "decoder,feed,decoder-hot,feed-hot").split(",");
        final BinanceFeedCpuHarness harness = new BinanceFeedCpuHarness();
        final double[][] nsPerMessage = new double[cases.length][rounds];
        long checksum = 0;
        for (int round = -5; round < rounds; round++) // five rounds warm every case up
        {
            for (int c = 0; c < cases.length; c++)
            {
                final String name = cases[(c + Math.max(round, 0)) % cases.length];
                final long[] cpuAndMessages = harness.run(name);
                checksum += cpuAndMessages[2];
                if (round >= 0)
                {
                    nsPerMessage[indexOf(cases, name)][round] = cpuAndMessages[0] / (double)cpuAndMessages[1];
                }
            }
        }
        if (harness.feed.counters().get(FeedCounter.ERRORS) != 0 || harness.feed.counters().get(FeedCounter.GAPS) != 0)
        {
            throw new IllegalStateException("the feed did not run clean: " + harness.feed.counters() + " " + harness.feed.counters().lastError());
        }
        System.out.printf(Locale.ROOT, "%d rounds, checksum %d; CPU ns per message, min / median of the rounds%n", rounds, checksum);
        for (int c = 0; c < cases.length; c++)
        {
            Arrays.sort(nsPerMessage[c]);
            System.out.printf(Locale.ROOT, "%-12s %8.1f / %8.1f%n", cases[c], nsPerMessage[c][0], nsPerMessage[c][rounds / 2]);
        }
    }

    /** @return the case's thread CPU ns, the messages it timed, a checksum. */
    private long[] run(final String name) throws InterruptedException
    {
        return switch (name)
        {
            case "decoder" -> decode(false);
            case "decoder-hot" -> decode(true);
            case "feed" -> feed(false);
            case "feed-hot" -> feed(true);
            default -> throw new IllegalArgumentException("no case " + name + " (decoder, feed, decoder-hot, feed-hot)");
        };
    }

    private long[] decode(final boolean twice)
    {
        long cpuNs = 0;
        long sum = 0;
        final int[] records = session.depthFrames;
        if (!twice)
        {
            final long startNs = THREADS.getCurrentThreadCpuTime();
            for (final int record : records)
            {
                sum += decode(record);
            }
            cpuNs = THREADS.getCurrentThreadCpuTime() - startNs;
        }
        else
        {
            // timed in batches: a CPU clock read per message would cost more than the message
            final int batch = 64;
            for (int first = 0; first < records.length; first += batch)
            {
                final int last = Math.min(first + batch, records.length);
                for (int i = first; i < last; i++)
                {
                    sum += decode(records[i]);
                }
                final long startNs = THREADS.getCurrentThreadCpuTime();
                for (int i = first; i < last; i++)
                {
                    sum += decode(records[i]);
                }
                cpuNs += THREADS.getCurrentThreadCpuTime() - startNs;
            }
        }
        return new long[] {cpuNs, records.length, sum};
    }

    private long decode(final int record)
    {
        decoder.decodeFrame(frames, capture.payloadOffset(record), capture.payloadLength(record));
        decoder.parseDecimals(-8, -8);
        final BinanceMessage m = decoder.message();
        long sum = m.eventTimeMs() + m.firstUpdateId() + m.finalUpdateId() + m.symbolLength();
        for (int i = 0, n = m.levelCount(); i < n; i++)
        {
            sum += m.levelPrice(i) + m.levelQuantity(i) + 1;
        }
        return sum;
    }

    /**
     * The session's book records in order; with {@code hot}, every depth frame is first decoded alone
     * (untimed: brings the frame into cache without touching the feed's state), then fed.
     */
    private long[] feed(final boolean hot) throws InterruptedException
    {
        final int[] records = session.bookRecords;
        final long publishedBefore = publisher.published();
        long cpuNs = 0;
        long sum = 0;
        final int batch = hot ? 64 : records.length;
        for (int first = 0; first < records.length; first += batch)
        {
            final int last = Math.min(first + batch, records.length);
            if (hot)
            {
                for (int i = first; i < last; i++)
                {
                    if (capture.kind(records[i]) == CaptureRecordKind.WS)
                    {
                        sum += decode(records[i]);
                    }
                }
            }
            final long startNs = THREADS.getCurrentThreadCpuTime();
            for (int i = first; i < last; i++)
            {
                session.feed(feed, records[i]);
            }
            cpuNs += THREADS.getCurrentThreadCpuTime() - startNs;
        }
        feed.onDisconnected(capture.recvNs(records[records.length - 1]));
        return new long[] {cpuNs, session.depthFrames.length, sum + publisher.published() - publishedBefore};
    }

    private static int indexOf(final String[] cases, final String name)
    {
        return Arrays.asList(cases).indexOf(name);
    }
}
