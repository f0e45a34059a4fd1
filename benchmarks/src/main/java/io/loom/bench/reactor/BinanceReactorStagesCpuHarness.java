package io.loom.bench.reactor;

import io.loom.api.fiber.NanoClock;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.bench.ThreadCpuTimerCost;
import io.loom.bench.binance.DiscardingEventPublisher;
import io.loom.bench.e2e.BinanceDepthStream;
import io.loom.bench.e2e.DepthLoop;
import io.loom.connectors.binance.BinanceFeed;
import io.loom.connectors.binance.BinanceMarket;
import io.loom.connectors.feed.FeedCounter;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.net.FiberTransport;
import io.loom.runtime.net.ws.WebSocketConnection;
import io.loom.runtime.net.ws.WebSocketContext;
import io.loom.runtime.net.ws.WebSocketMessage;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * What the reactor's stages above TLS cost per Binance message of the e2e stream, in thread CPU time:
 * the exact frames {@code ./loom bench e2e} sends (the capture's diffs, re-stamped by
 * {@link BinanceDepthStream}), fed through Loom's own classes on one platform thread, each stage
 * alone and stacked, in alternated rounds.
 *
 * <pre>
 *   e2e stream frames (header + payload, 16 KiB per read, as TLS records hand them over)
 *     ws            in-memory transport ─▶ WebSocketConnection.receive (frame parse, UTF-8 check)
 *     ws+feed       the same ─▶ BinanceFeed.onFrame (decode, sync, event writer) ─▶ slots, no ring
 *     feed          payloads ─▶ BinanceFeed.onFrame ─▶ slots, no ring
 *   per message: (CPU after - CPU before - one timer pair) / messages
 * </pre>
 *
 * <p>TLS decryption is {@link io.loom.bench.tls.TlsRecordDecryptCpuHarness}'s; the ring's publish
 * and the socket reads are not here (pipeline benchmarks; the e2e run's perf profile). The slots are
 * a discarding publisher's, written but never read by another core, so "feed" is a floor for the
 * writer's share. Run: {@code java -cp benchmarks.jar io.loom.bench.reactor.BinanceReactorStagesCpuHarness
 * <capture> [rounds]}.
 *
 * <p>Thread-safety: a main program, one thread.
 */
public final class BinanceReactorStagesCpuHarness
{
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int MESSAGES_PER_PASS = 50_000;
    private static final int READ_BYTES = 16_384;
    private static final String[] STAGES = {"ws", "ws+feed", "feed"};

    private BinanceReactorStagesCpuHarness()
    {
    }

    /**
     * Runs the rounds and prints each stage's CPU per message.
     *
     * @param args the Binance capture the e2e harness streams, and optionally the number of rounds (default 7).
     * @throws Exception if the capture cannot be read or a stage fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        final BinanceDepthStream stream = new BinanceDepthStream(DepthLoop.fromCapture(Capture.load(Path.of(args[0])), "ETHUSDT"));
        final BinanceStreamFrames frames = BinanceStreamFrames.encode(stream, MESSAGES_PER_PASS);
        final byte[] snapshot = stream.restBody("/api/v3/depth?symbol=ETHUSDT&limit=1000", 0);
        final long timerNs = ThreadCpuTimerCost.medianNs();
        final long[][] nsPerMessage = new long[STAGES.length][rounds];
        long check = 0;
        for (int round = -2; round < rounds; round++) // two rounds warm every stage up
        {
            for (int stage = 0; stage < STAGES.length; stage++)
            {
                final Pass pass = new Pass(frames, snapshot);
                final long startNs = THREADS.getCurrentThreadCpuTime();
                final long messages = switch (stage)
                {
                    case 0 -> pass.webSocket(false);
                    case 1 -> pass.webSocket(true);
                    default -> pass.feedOnly();
                };
                final long spentNs = THREADS.getCurrentThreadCpuTime() - startNs - timerNs;
                if (messages != MESSAGES_PER_PASS || stage > 0 && pass.publishedEvents() == 0 || pass.feedErrors() != 0)
                {
                    throw new IllegalStateException(STAGES[stage] + ": " + messages + " messages, " + pass.publishedEvents() +
                        " events, " + pass.feedErrors() + " feed errors");
                }
                check += pass.publishedEvents();
                if (round >= 0)
                {
                    nsPerMessage[stage][round] = spentNs / messages;
                }
            }
        }
        System.out.printf(Locale.ROOT, "Binance e2e stream, %d messages per pass (%.0f B payload average), %d rounds alternated; timer %d ns; events %d%n",
            MESSAGES_PER_PASS, frames.payloadBytes() / (double)MESSAGES_PER_PASS, rounds, timerNs, check);
        for (int stage = 0; stage < STAGES.length; stage++)
        {
            final long[] sorted = nsPerMessage[stage].clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "%-8s median %6d ns/msg  rounds %s%n", STAGES[stage], sorted[sorted.length / 2],
                Arrays.toString(nsPerMessage[stage]));
        }
    }

    /** One pass: a new feed (snapshot applied) and, for the WebSocket stages, a new connection over the frames. */
    private static final class Pass
    {
        private final BinanceStreamFrames frames;
        private final DiscardingEventPublisher publisher = new DiscardingEventPublisher(4_096);
        private final BinanceFeed feed;
        private final UnsafeBuffer payloads;

        Pass(final BinanceStreamFrames frames, final byte[] snapshot) throws InterruptedException
        {
            this.frames = frames;
            this.payloads = new UnsafeBuffer(frames.wire(), 0, frames.wireBytes());
            final InstrumentRegistry registry = new InstrumentRegistry();
            registry.intern(BinanceMarket.SPOT.venue(), "ETHUSDT", -8, -8);
            this.feed = new BinanceFeed(BinanceMarket.SPOT, registry, List.of("ETHUSDT"), false, publisher, instrumentId -> { });
            final byte[] url = "https://127.0.0.1/api/v3/depth?symbol=ETHUSDT&limit=1000".getBytes(StandardCharsets.US_ASCII);
            final UnsafeBuffer rest = new UnsafeBuffer(new byte[url.length + snapshot.length]);
            rest.putBytes(0, url);
            rest.putBytes(url.length, snapshot);
            feed.onConnected(0);
            feed.onRestResponse(rest, 0, url.length, url.length, snapshot.length, 0);
        }

        long webSocket(final boolean decode) throws Exception
        {
            final URI uri = URI.create("ws://127.0.0.1/stream?streams=ethusdt@depth@100ms");
            final WebSocketConnection connection = WebSocketConnection.open(
                new InMemoryServerTransport(frames.wire(), frames.wireBytes()), uri, new WebSocketContext(), NanoClock.SYSTEM);
            long messages = 0;
            while (messages < MESSAGES_PER_PASS)
            {
                final WebSocketMessage message = connection.receive();
                if (decode)
                {
                    feed.onFrame(message.buffer(), message.offset(), message.length(), messages);
                }
                messages++;
            }
            return messages;
        }

        long feedOnly() throws InterruptedException
        {
            for (int i = 0; i < MESSAGES_PER_PASS; i++)
            {
                feed.onFrame(payloads, frames.payloadOffset(i), frames.payloadLength(i), i);
            }
            return MESSAGES_PER_PASS;
        }

        long publishedEvents()
        {
            return publisher.published();
        }

        long feedErrors()
        {
            return feed.counters().get(FeedCounter.ERRORS);
        }
    }

    /**
     * A WebSocket server in memory: answers the opening handshake with its 101, then hands out the
     * frames {@value #READ_BYTES} bytes per read (what one TLS record decrypts to), never waiting.
     */
    private static final class InMemoryServerTransport implements FiberTransport
    {
        private final byte[] wire;
        private final int wireBytes;
        private byte[] pending = new byte[0];
        private int pendingAt;
        private int at;
        private boolean open = true;

        InMemoryServerTransport(final byte[] wire, final int wireBytes)
        {
            this.wire = wire;
            this.wireBytes = wireBytes;
        }

        @Override
        public int read(final ByteBuffer dst)
        {
            if (pendingAt < pending.length)
            {
                final int n = Math.min(dst.remaining(), pending.length - pendingAt);
                dst.put(pending, pendingAt, n);
                pendingAt += n;
                return n;
            }
            if (at >= wireBytes)
            {
                return -1;
            }
            final int n = Math.min(Math.min(dst.remaining(), READ_BYTES), wireBytes - at);
            dst.put(wire, at, n);
            at += n;
            return n;
        }

        @Override
        public int read(final ByteBuffer dst, final long timeoutNs)
        {
            return read(dst);
        }

        @Override
        public void writeFully(final ByteBuffer src) throws java.io.IOException
        {
            final byte[] request = new byte[src.remaining()];
            src.get(request);
            final String head = new String(request, StandardCharsets.ISO_8859_1);
            if (pending.length > 0 || !head.startsWith("GET "))
            {
                return; // after the handshake: a pong or a close frame, dropped
            }
            final int keyAt = head.toLowerCase(Locale.ROOT).indexOf("sec-websocket-key:") + "sec-websocket-key:".length();
            final String key = head.substring(keyAt, head.indexOf("\r\n", keyAt)).trim();
            try
            {
                final String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
                pending = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
                    accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            }
            catch (final java.security.NoSuchAlgorithmException ex)
            {
                throw new java.io.IOException(ex);
            }
        }

        @Override
        public boolean isOpen()
        {
            return open;
        }

        @Override
        public String remote()
        {
            return "in-memory";
        }

        @Override
        public void close()
        {
            open = false;
        }
    }
}
