package io.loom.bench.kraken;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.loom.api.event.MarketEvent;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.source.EventPublisher;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.kraken.KrakenV1BookDecoder;
import io.loom.connectors.kraken.KrakenV1Feed;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureRecordKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding the real Kraken v1 {@code book-1000} session (kraken-v1/10pairs_book1000_2021-04-17),
 * messages per second:
 *
 * <pre>
 *   loomFeed        all 4,321 frames in order ─▶ KrakenV1Feed (decode + apply + truncate + CRC32
 *                   + publish into a no-op publisher)
 *   loomDecoder     the 4,269 update frames ─▶ KrakenV1BookDecoder, channels bound as the
 *                   subscription statuses name them (the feed's fast path): one pass, every price,
 *                   volume and time an exact long mantissa, the checksum, channel name and pair
 *   loomGeneral     the same frames ─▶ KrakenV1BookDecoder with no channel learnt (its general
 *                   path, the feed's decode before session 7): JsonCursor walk, then scale
 *   jacksonParser   the same frames ─▶ Jackson's streaming JsonParser extracting the same
 *                   fields into the same exact mantissas (text characters, no Strings per field)
 * </pre>
 *
 * Run with {@code -prof gc}: Loom's rows must show 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class KrakenV1BookDecodeThroughputBenchmark
{
    /** WS frames in the capture (every one goes through the feed per invocation). */
    static final int FRAMES = 4_321;
    /** Book update frames in the capture. */
    static final int UPDATES = 4_269;

    private static final String CAPTURE = "kraken-v1/10pairs_book1000_2021-04-17.capture.gz";
    private static final int PRICE_EXPONENT = -9;
    private static final int SIZE_EXPONENT = -8;
    private static final int TIME_EXPONENT = -9;
    /** Nesting of a level array: frame array, dict, side array, level. */
    private static final int LEVEL_DEPTH = 4;

    private final KrakenV1BookDecoder decoder = new KrakenV1BookDecoder(KrakenV1Feed.MAX_LEVELS_PER_MESSAGE);
    private final KrakenV1BookDecoder general = new KrakenV1BookDecoder(KrakenV1Feed.MAX_LEVELS_PER_MESSAGE);
    private final JsonFactory jackson = new JsonFactory();
    private Capture capture;
    private int[] frames;
    private UnsafeBuffer[] updates;
    private byte[][] updateBytes;
    private KrakenV1Feed feed;

    /** Loads the capture and selects the frames. */
    @Setup(Level.Trial)
    public void load() throws IOException
    {
        capture = Capture.load(capturePath());
        final List<Integer> ws = new ArrayList<>();
        final List<byte[]> bookUpdates = new ArrayList<>();
        for (int i = 0; i < capture.size(); i++)
        {
            if (capture.kind(i) == CaptureRecordKind.WS)
            {
                ws.add(i);
                final String text = capture.payloadAsString(i);
                if (text.startsWith("[") && text.contains("\"c\":"))
                {
                    bookUpdates.add(text.getBytes(StandardCharsets.US_ASCII));
                }
                else if (text.contains("\"subscriptionStatus\""))
                {
                    subscribe(text);
                }
            }
        }
        if (ws.size() != FRAMES || bookUpdates.size() != UPDATES)
        {
            throw new IllegalStateException("expected " + FRAMES + " frames and " + UPDATES + " updates, found " + ws.size() + '/' + bookUpdates.size());
        }
        frames = ws.stream().mapToInt(Integer::intValue).toArray();
        updateBytes = bookUpdates.toArray(new byte[0][]);
        updates = new UnsafeBuffer[UPDATES];
        for (int i = 0; i < UPDATES; i++)
        {
            updates[i] = new UnsafeBuffer(updateBytes[i]);
        }
        for (int i = 0; i < UPDATES; i++)
        {
            final long expected = decodeWithJackson(updateBytes[i]);
            if (decodeWith(decoder, updates[i]) != expected || !decoder.isScaled() || decodeWith(general, updates[i]) != expected)
            {
                throw new IllegalStateException("the decoders disagree on " + new String(updateBytes[i], StandardCharsets.US_ASCII));
            }
        }
        feed = new KrakenV1Feed(new InstrumentRegistry(), true, new NoopPublisher(), instrumentId -> { });
    }

    /**
     * The whole session through the feed.
     *
     * @return checksums verified so far (keeps the work alive).
     * @throws InterruptedException never (the no-op publisher does not wait).
     */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public long loomFeed() throws InterruptedException
    {
        final DirectBuffer buffer = capture.buffer();
        for (final int record : frames)
        {
            feed.onFrame(buffer, capture.payloadOffset(record), capture.payloadLength(record), capture.recvNs(record));
        }
        if (feed.counters().get(FeedCounter.CHECKSUMS_FAILED) != 0 || feed.counters().get(FeedCounter.ERRORS) != 0)
        {
            throw new IllegalStateException(feed.counters().toString());
        }
        return feed.counters().get(FeedCounter.CHECKSUMS_OK);
    }

    /**
     * The update frames decoded by the production decoder, channels bound (its fast path).
     *
     * @param blackhole consumes the values.
     */
    @Benchmark
    @OperationsPerInvocation(UPDATES)
    public void loomDecoder(final Blackhole blackhole)
    {
        for (final UnsafeBuffer frame : updates)
        {
            blackhole.consume(decodeWith(decoder, frame));
        }
    }

    /**
     * The update frames decoded by the production decoder with no channel learnt (its general path).
     *
     * @param blackhole consumes the values.
     */
    @Benchmark
    @OperationsPerInvocation(UPDATES)
    public void loomGeneral(final Blackhole blackhole)
    {
        for (final UnsafeBuffer frame : updates)
        {
            blackhole.consume(decodeWith(general, frame));
        }
    }

    /**
     * The update frames decoded with Jackson.
     *
     * @param blackhole consumes the values.
     * @throws IOException never for these frames.
     */
    @Benchmark
    @OperationsPerInvocation(UPDATES)
    public void jacksonParser(final Blackhole blackhole) throws IOException
    {
        for (final byte[] frame : updateBytes)
        {
            blackhole.consume(decodeWithJackson(frame));
        }
    }

    /** Teaches the fast-path decoder a subscription status's book channel, bound at the benchmark's exponents. */
    private void subscribe(final String status)
    {
        final UnsafeBuffer text = new UnsafeBuffer(status.getBytes(StandardCharsets.US_ASCII));
        final int id = Integer.parseInt(status.replaceFirst(".*\"channelID\":(\\d+).*", "$1"));
        final int name = status.indexOf("\"channelName\":\"") + 15;
        final int pair = status.indexOf("\"pair\":\"") + 8;
        decoder.subscribed(id, text, name, status.indexOf('"', name) - name, pair, status.indexOf('"', pair) - pair);
        decoder.bind(id, 0, PRICE_EXPONENT, SIZE_EXPONENT);
    }

    /** The same fields as {@link #decodeWithJackson}, summed, from a {@link KrakenV1BookDecoder}. */
    private static long decodeWith(final KrakenV1BookDecoder decoder, final DirectBuffer frame)
    {
        decoder.decode(frame, 0, frame.capacity());
        if (!decoder.isScaled() && !decoder.scale(PRICE_EXPONENT, SIZE_EXPONENT))
        {
            throw new IllegalStateException("a price <= 0 or a negative volume");
        }
        long sum = decoder.checksum() + decoder.nameLength() + frame.getByte(decoder.nameOffset()) + decoder.pairLength() +
            frame.getByte(decoder.pairOffset());
        for (int i = 0; i < decoder.levelCount(); i++)
        {
            sum += decoder.price(i) + decoder.size(i) + decoder.timeNs(i);
        }
        return sum;
    }

    private long decodeWithJackson(final byte[] frame) throws IOException
    {
        long sum = 0;
        try (JsonParser parser = jackson.createParser(frame))
        {
            int depth = 0;
            int stringInLevel = -1;
            JsonToken token;
            while ((token = parser.nextToken()) != null)
            {
                switch (token)
                {
                    case START_ARRAY, START_OBJECT ->
                    {
                        depth++;
                        stringInLevel = token == JsonToken.START_ARRAY && depth == LEVEL_DEPTH ? 0 : -1;
                    }
                    case END_ARRAY, END_OBJECT -> depth--;
                    case FIELD_NAME ->
                    {
                        if ("c".equals(parser.currentName()))
                        {
                            parser.nextToken();
                            sum += mantissa(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength(), 0);
                        }
                    }
                    case VALUE_STRING ->
                    {
                        final char[] text = parser.getTextCharacters();
                        final int offset = parser.getTextOffset();
                        final int length = parser.getTextLength();
                        if (stringInLevel == 0)
                        {
                            sum += mantissa(text, offset, length, PRICE_EXPONENT);
                        }
                        else if (stringInLevel == 1)
                        {
                            sum += mantissa(text, offset, length, SIZE_EXPONENT);
                        }
                        else if (stringInLevel == 2)
                        {
                            sum += mantissa(text, offset, length, TIME_EXPONENT);
                        }
                        else if (depth == 1)
                        {
                            sum += length + text[offset];
                        }
                        stringInLevel = stringInLevel >= 0 ? stringInLevel + 1 : -1;
                    }
                    default ->
                    {
                    }
                }
            }
        }
        return sum;
    }

    /** The exact mantissa of a plain decimal at {@code exponent} (what AsciiDecimal does, over chars). */
    static long mantissa(final char[] text, final int offset, final int length, final int exponent)
    {
        long value = 0;
        int fraction = -1;
        for (int i = offset; i < offset + length; i++)
        {
            final char c = text[i];
            if (c == '.')
            {
                fraction = 0;
                continue;
            }
            if (c < '0' || c > '9')
            {
                throw new NumberFormatException("not a decimal: " + new String(text, offset, length));
            }
            if (fraction >= 0 && fraction == -exponent)
            {
                if (c != '0')
                {
                    throw new ArithmeticException("precision loss: " + new String(text, offset, length));
                }
                continue;
            }
            value = Math.addExact(Math.multiplyExact(value, 10), c - '0');
            if (fraction >= 0)
            {
                fraction++;
            }
        }
        for (int scale = Math.max(fraction, 0); scale < -exponent; scale++)
        {
            value = Math.multiplyExact(value, 10);
        }
        return value;
    }

    private static Path capturePath()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            final Path file = dir.resolve("data").resolve("captures").resolve(CAPTURE);
            if (Files.isRegularFile(file))
            {
                return file;
            }
        }
        throw new IllegalStateException("run from the repository: no data/captures/" + CAPTURE + " above " + Path.of("").toAbsolutePath());
    }

    /** Keeps no events: claims hand out pre-allocated slots and publish does nothing. */
    private static final class NoopPublisher implements EventPublisher, EventPublisher.MessageClaim
    {
        private final MarketEvent[] slots = new MarketEvent[KrakenV1Feed.MAX_LEVELS_PER_MESSAGE];
        private int size;

        NoopPublisher()
        {
            for (int i = 0; i < slots.length; i++)
            {
                slots[i] = new MarketEvent();
            }
        }

        @Override
        public MessageClaim claim(final int eventCount)
        {
            size = eventCount;
            return this;
        }

        @Override
        public MarketEvent event(final int index)
        {
            return slots[index];
        }

        @Override
        public int size()
        {
            return size;
        }

        @Override
        public boolean publish()
        {
            return true;
        }
    }
}
