package io.loom.connectors.kraken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureRecordKind;
import io.loom.runtime.codec.DecimalFormatException;
import io.loom.runtime.codec.JsonFormatException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link KrakenV1BookDecoder} against a Jackson + BigDecimal oracle ({@link KrakenV1BookReference})
 * over every book frame of the recorded session, as recorded (the fast path must take each one)
 * and mutated so that it must not (the general path must then agree just the same).
 */
class KrakenV1BookDecoderTest
{
    private static final String BOOK_CAPTURE = "kraken-v1/10pairs_book1000_2021-04-17.capture.gz";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int UNKNOWN_CHANNEL = 77_777;

    /** The capture's subscription statuses, book frames and each pair's exponents (its most decimals). */
    private static final List<String> STATUSES = new ArrayList<>();
    private static final List<String> FRAMES = new ArrayList<>();
    private static final Map<String, int[]> EXPONENTS = new HashMap<>();

    private final KrakenV1BookDecoder decoder = new KrakenV1BookDecoder(KrakenV1Feed.MAX_LEVELS_PER_MESSAGE);
    private final Map<String, Integer> keys = new HashMap<>();
    private final List<String> pairsByKey = new ArrayList<>();

    @BeforeAll
    static void load() throws Exception
    {
        final Capture capture = Capture.load(KrakenReplay.capture(BOOK_CAPTURE));
        for (int i = 0; i < capture.size(); i++)
        {
            if (capture.kind(i) != CaptureRecordKind.WS)
            {
                continue;
            }
            final String text = capture.payloadAsString(i);
            if (text.contains("\"subscriptionStatus\""))
            {
                STATUSES.add(text);
            }
            else if (text.startsWith("["))
            {
                FRAMES.add(text);
                final String pair = JSON.readTree(text).get(JSON.readTree(text).size() - 1).asText();
                final int[] exponents = EXPONENTS.computeIfAbsent(pair, p -> new int[2]);
                exponents[0] = Math.min(exponents[0], -KrakenV1BookReference.maxDecimals(text, 0));
                exponents[1] = Math.min(exponents[1], -KrakenV1BookReference.maxDecimals(text, 1));
            }
        }
        assertEquals(10, STATUSES.size());
        assertEquals(10 + 4_269, FRAMES.size());
    }

    @Test
    void shouldTakeTheFastPathForEveryRecordedFrameAndAgreeWithJackson() throws Exception
    {
        subscribeAll();
        for (final String frame : FRAMES)
        {
            assertEquals(reference(frame), decode(frame), frame);
            assertTrue(decoder.isScaled(), "fast path: " + frame);
            assertEquals(keys.get(pairOf(frame)), decoder.channelKey());
            assertEquals(1000, decoder.depth());
        }
    }

    @Test
    void shouldAgreeWithJacksonOnTheGeneralPathWhenTheChannelIsUnknown() throws Exception
    {
        // no subscription learnt: every frame takes the general path
        for (final String frame : FRAMES)
        {
            assertEquals(reference(frame), decode(frame), frame);
            assertFalse(decoder.isScaled());
            assertEquals(KrakenV1BookDecoder.UNBOUND, decoder.channelKey());
        }
    }

    @Test
    void shouldAgreeWithJacksonOnFramesThatMissTheFastPath() throws Exception
    {
        subscribeAll();
        final List<UnaryOperator<String>> mutations = List.of(
            frame -> frame.replace(",", ", ").replace(":", " : "),
            frame -> " " + frame + "\n",
            KrakenV1BookDecoderTest::checksumFirst,
            frame -> frame.replaceFirst("^\\[\\d+,", "[" + UNKNOWN_CHANNEL + ","),
            frame -> frame.replaceFirst("\"]]", "\",\"r\"]]"),
            frame -> frame.replace("\"c\":", "\"x\":1,\"c\":"),
            frame -> frame.replaceFirst("\"(\\d+\\.\\d+)\"", "\"$1e0\""),
            frame -> frame.replaceFirst("\"(\\d+)\\.(\\d+)\"", "\"0000000000000000$1.$2\""));
        int fast = 0;
        int rejected = 0;
        for (final UnaryOperator<String> mutation : mutations)
        {
            for (int i = 0; i < FRAMES.size(); i += 7)
            {
                final String frame = mutation.apply(FRAMES.get(i));
                if (frame.equals(FRAMES.get(i)))
                {
                    continue;
                }
                final String expected = reference(frame);
                if (expected.equals(KrakenV1BookReference.REJECTED))
                {
                    rejected++;
                    continue;
                }
                assertEquals(expected, decode(frame), frame);
                fast += decoder.isScaled() ? 1 : 0;
            }
        }
        // the fast path takes dict keys in any order and the republish flag, nothing else here; an extra
        // field is rejected by both. The first two frames sampled are snapshots, which carry no "c".
        final int sampled = (FRAMES.size() + 6) / 7;
        assertEquals(sampled + sampled - 2, fast);
        assertEquals(sampled - 2, rejected);
    }

    @Test
    void shouldReadEveryRecordedOneLevelUpdateWholeAndNothingElse() throws Exception
    {
        subscribeAll();
        int oneLevelUpdates = 0;
        for (final String frame : FRAMES)
        {
            final long before = decoder.templateMessages();
            assertEquals(reference(frame), decode(frame), frame);
            final boolean oneLevelUpdate = isOneLevelUpdate(frame);
            oneLevelUpdates += oneLevelUpdate ? 1 : 0;
            assertEquals(oneLevelUpdate ? 1 : 0, decoder.templateMessages() - before, frame);
        }
        // 4,269 updates: 3 carry two levels (one of them in two dicts), the 10 snapshots none of this shape
        assertEquals(4_266, oneLevelUpdates);
        assertEquals(4_266, decoder.templateMessages());
    }

    @Test
    void shouldLeaveEveryOtherShapeOfAnUpdateToTheLoopOrTheGeneralPath() throws Exception
    {
        subscribe(336, "book-10", "XBT/USD", -5, -8);
        final String good = "[336,{\"b\":[[\"5541.30000\",\"2.50700000\",\"1534614248.456738\"]],\"c\":\"974942666\"},\"book-10\",\"XBT/USD\"]";
        assertEquals(reference(good), decode(good));
        assertEquals(1, decoder.templateMessages());
        final List<String> others = List.of(
            checksumFirst(good),                                                           // reordered keys
            good.replace(",\"c\":\"974942666\"", ""),                                        // no checksum
            good.replace("\"]],\"c\"", "\",\"r\"]],\"c\""),                                    // republish flag
            good.replace("\"]],", "\"],[\"5541.20000\",\"1.00000000\",\"1534614248.456739\"]],"), // two levels
            good.replace("{\"b\"", "{\"a\":[[\"5541.40000\",\"1.00000000\",\"1534614248.456739\"]]},{\"b\""), // both sides, two dicts
            good.replace("\"b\":", "\"bs\":").replace(",\"c\":\"974942666\"", ""),            // a snapshot
            good.replace("\"c\":\"974942666\"", "\"c\":974942666"),                          // checksum not a string
            good.replace("},\"book", "} ,\"book"),                                           // whitespace
            good + " ");
        for (final String frame : others)
        {
            final String expected = reference(frame);
            if (!expected.equals(KrakenV1BookReference.REJECTED))
            {
                assertEquals(expected, decode(frame), frame);
            }
            assertEquals(1, decoder.templateMessages(), frame);
        }
        for (final String frame : List.of(good.replace("5541.30000", "5541.3x000"), good.replace("2.50700000", "2.5070000a"),
            good.replace("1534614248.456738", "153461424x.456738")))
        {
            // a bad decimal: the general path reads the frame, its pair's resolve rejects it
            final UnsafeBuffer buffer = buffer(frame);
            assertEquals(KrakenV1BookDecoder.BOOK, decoder.decode(buffer, 0, frame.length()), frame);
            assertFalse(decoder.isScaled(), frame);
            assertThrows(DecimalFormatException.class, () -> decoder.levels().resolve(buffer, -5, -8,
                KrakenLevels.UNKNOWN_DECIMALS, KrakenLevels.UNKNOWN_DECIMALS), frame);
            assertEquals(1, decoder.templateMessages(), frame);
        }
        // another channel name, a checksum of non-digits or beyond 32 bits, a frame cut anywhere: typed errors from the general path
        assertThrows(KrakenMessageException.class, () -> decode(good.replace("\"book-10\"", "\"book-25\"")));
        assertThrows(DecimalFormatException.class, () -> decode(good.replace("974942666", "97494266x")));
        assertThrows(KrakenMessageException.class, () -> decode(good.replace("974942666", "4294967296")));
        // each byte between the checksum and the trailer (read back from the trailer) counts
        assertThrows(JsonFormatException.class, () -> decode(good.replace("\"},\"book", "\"}:\"book")));
        assertThrows(JsonFormatException.class, () -> decode(good.replace("\"},\"book", "\"],\"book")));
        for (int cut = 1; cut < good.length(); cut++)
        {
            final String truncated = good.substring(0, cut);
            assertThrows(RuntimeException.class, () -> decode(truncated), truncated);
        }
        assertEquals(1, decoder.templateMessages());
        assertEquals(reference(good), decode(good));
        assertEquals(2, decoder.templateMessages());
        // a one-level update whose time is not ten digits, a dot and six (read back from the trailer) is left to the loop
        final long fast = decoder.fastPathMessages();
        for (final String time : List.of("1534614248.45673", "1534614248.4567380", "534614248.456738", "1534614248.4", "1534614248"))
        {
            final String otherTime = good.replace("1534614248.456738", time);
            assertEquals(reference(otherTime), decode(otherTime), otherTime);
            assertEquals(2, decoder.templateMessages(), otherTime);
        }
        assertEquals(fast + 4, decoder.fastPathMessages());
        // a checksum of one to ten digits, read back from the trailer, as the loop reads it
        for (final String checksum : List.of("0", "7", "0974942666", "4294967295", "12345678", "123456789"))
        {
            final String frame = good.replace("974942666", checksum);
            assertEquals(reference(frame), decode(frame), frame);
        }
        assertEquals(8, decoder.templateMessages());
    }

    @Test
    void shouldDecodeTheRepublishFlagAndBothDictsOfOneUpdate()
    {
        subscribe(336, "book-10", "XBT/USD", -5, -8);
        final String frame = "[336,{\"a\":[[\"5541.30000\",\"2.50700000\",\"1534614248.456738\",\"r\"]]}," +
            "{\"b\":[[\"5541.20000\",\"0.00000000\",\"1534614248.4\"]],\"c\":\"974942666\"},\"book-10\",\"XBT/USD\"]";

        assertEquals("update book-10 XBT/USD c=974942666 [ASK 554130000 250700000 1534614248456738000 r, BID 554120000 0 1534614248400000000]",
            decode(frame));
        assertTrue(decoder.isScaled());
        assertTrue(decoder.isRepublished(0));
        assertFalse(decoder.isRepublished(1));
        assertEquals(10, decoder.depth());
        assertEquals("5541.30000", text(frame, decoder.priceOffset(0), decoder.priceLength(0)));
        assertEquals("2.50700000", text(frame, decoder.sizeOffset(0), decoder.sizeLength(0)));
        assertEquals("0.00000000", text(frame, decoder.sizeOffset(1), decoder.sizeLength(1)));
        assertEquals("XBT/USD", text(frame, decoder.pairOffset(), decoder.pairLength()));
    }

    @Test
    void shouldScaleFastPathLevelsAtOtherExponentsFromTheirText()
    {
        subscribe(336, "book-10", "XBT/USD", -5, -8);
        final String frame = "[336,{\"a\":[[\"5541.30000\",\"2.50700000\",\"1534614248.456738\",\"r\"]]}," +
            "{\"b\":[[\"5541.20000\",\"0.00000000\",\"1534614248.4\"]],\"c\":\"974942666\"},\"book-10\",\"XBT/USD\"]";
        assertEquals(KrakenV1BookDecoder.BOOK, decoder.decode(buffer(frame), 0, frame.length()));
        assertTrue(decoder.isScaled());

        assertTrue(decoder.scale(-7, -10));
        assertEquals(55_413_000_000L, decoder.price(0));
        assertEquals(25_070_000_000L, decoder.size(0));
        assertEquals(1_534_614_248_456_738_000L, decoder.timeNs(0), "times stay in ns");
        assertEquals(55_412_000_000L, decoder.price(1));
        assertEquals(0, decoder.size(1));
        assertEquals(1_534_614_248_400_000_000L, decoder.timeNs(1));
        assertThrows(DecimalFormatException.class, () -> decoder.scale(0, -8), "5541.3 is not a whole number of units of 1");
    }

    @Test
    void shouldRejectAMessageWhosePairOrChannelNameIsNotItsChannelIds()
    {
        subscribe(336, "book-10", "XBT/USD", -5, -8);
        final String level = "[[\"5541.30000\",\"2.50700000\",\"1534614248.456738\"]]";

        final KrakenMessageException pair = assertThrows(KrakenMessageException.class,
            () -> decode("[336,{\"b\":" + level + ",\"c\":\"1\"},\"book-10\",\"ETH/USD\"]"));
        assertTrue(pair.getMessage().contains("XBT/USD"), pair.getMessage());
        assertThrows(KrakenMessageException.class, () -> decode("[336,{\"b\":" + level + ",\"c\":\"1\"},\"book-25\",\"XBT/USD\"]"));
    }

    @Test
    void shouldThrowTypedErrorsForMalformedOrUnknownShapesOnAKnownChannel()
    {
        subscribe(336, "book-10", "XBT/USD", -5, -8);
        final String good = "[336,{\"b\":[[\"5541.30000\",\"2.50700000\",\"1534614248.456738\"]],\"c\":\"9\"},\"book-10\",\"XBT/USD\"]";
        for (int cut = 1; cut < good.length(); cut++)
        {
            final String truncated = good.substring(0, cut);
            assertThrows(RuntimeException.class, () -> decode(truncated), truncated);
        }
        assertThrows(JsonFormatException.class, () -> decode(good.replace(":\"9\"", ":\"9\"]")));
        assertThrows(JsonFormatException.class, () -> decode("[0336" + good.substring(4)));
        assertThrows(KrakenMessageException.class, () -> decode(good.replace("\"b\"", "\"bs\"").replace(",\"c\":\"9\"", ",\"a\":[]")));
        assertThrows(KrakenMessageException.class, () -> decode(good.replace("\"c\":\"9\"", "\"c\":\"9\",\"c\":\"9\"")));
        assertThrows(KrakenMessageException.class, () -> decode(good.replace(",\"1534614248.456738\"", "")));
    }

    @Test
    void shouldLeaveABadDecimalToTheResolveOfItsPair()
    {
        subscribe(336, "book-10", "XBT/USD", -5, -8);
        final String frame = "[336,{\"b\":[[\"5541.3x000\",\"2.50700000\",\"1534614248.456738\"]],\"c\":\"9\"},\"book-10\",\"XBT/USD\"]";

        assertEquals(KrakenV1BookDecoder.BOOK, decoder.decode(buffer(frame), 0, frame.length()));
        assertFalse(decoder.isScaled());
        assertThrows(DecimalFormatException.class, () -> decoder.levels().resolve(buffer(frame), -5, -8,
            KrakenLevels.UNKNOWN_DECIMALS, KrakenLevels.UNKNOWN_DECIMALS));
    }

    @Test
    void shouldLeaveEventsAndTradesToTheFeed()
    {
        subscribe(336, "book-10", "XBT/USD", -5, -8);
        final String trade = "[337,[[\"354.11000000\",\"0.89594024\",\"1618678142.557535\",\"s\",\"l\",\"\"]],\"trade\",\"XMR/USD\"]";
        final String heartbeat = "{\"event\":\"heartbeat\"}";

        assertEquals(KrakenV1BookDecoder.NOT_A_BOOK, decoder.decode(buffer(trade), 0, trade.length()));
        assertEquals(KrakenV1BookDecoder.NOT_A_BOOK, decoder.decode(buffer(heartbeat), 0, heartbeat.length()));
    }

    @Test
    void shouldForgetAChannelWhenUnsubscribed()
    {
        subscribe(336, "book-10", "XBT/USD", -5, -8);
        final String frame = "[336,{\"b\":[[\"5541.30000\",\"2.50700000\",\"1534614248.456738\"]],\"c\":\"9\"},\"book-10\",\"XBT/USD\"]";
        decode(frame);
        assertTrue(decoder.isScaled());

        decoder.unsubscribed(336);
        decode(frame);
        assertFalse(decoder.isScaled());
        assertEquals(KrakenV1BookDecoder.UNBOUND, decoder.channelKey());
    }

    @Test
    void shouldReadEveryDecimalShapeAsTheGeneralPathDoes()
    {
        subscribe(336, "book-10", "XBT/USD", -10, -10);
        final KrakenV1BookDecoder general = new KrakenV1BookDecoder(KrakenV1Feed.MAX_LEVELS_PER_MESSAGE);
        final SplittableRandom random = new SplittableRandom(9);
        int fast = 0;
        for (int round = 0; round < 20_000; round++)
        {
            // 1-8 digits before the dot and 1-10 after for prices and volumes; times as Kraken sends them (10.6) or 1-9 / 1-9
            final String price = decimal(random, 1 + random.nextInt(8), 1 + random.nextInt(10));
            final String size = decimal(random, 1 + random.nextInt(8), 1 + random.nextInt(10));
            final String time = random.nextBoolean() ? "1" + decimal(random, 9, 6) : decimal(random, 1 + random.nextInt(9), 1 + random.nextInt(9));
            final String frame = "[336,{\"b\":[[\"" + price + "\",\"" + size + "\",\"" + time + "\"]],\"c\":\"9\"},\"book-10\",\"XBT/USD\"]";
            final UnsafeBuffer buffer = buffer(frame);
            assertEquals(KrakenV1BookDecoder.BOOK, decoder.decode(buffer, 0, frame.length()), frame);
            assertEquals(KrakenV1BookDecoder.BOOK, general.decode(buffer, 0, frame.length()), frame);
            assertTrue(general.scale(-10, -10), frame);
            if (!decoder.isScaled())
            {
                assertTrue(decoder.scale(-10, -10), frame);
            }
            fast += decoder.isScaled() ? 1 : 0;
            assertEquals(general.price(0), decoder.price(0), frame);
            assertEquals(general.size(0), decoder.size(0), frame);
            assertEquals(general.timeNs(0), decoder.timeNs(0), frame);
            assertEquals(price, text(frame, decoder.priceOffset(0), decoder.priceLength(0)));
            assertEquals(size, text(frame, decoder.sizeOffset(0), decoder.sizeLength(0)));
        }
        assertEquals(20_000, fast, "every decimal of at most 18 digits fits the fast path's reads");
    }

    @Test
    void shouldTakeOrLeaveEveryDigitCountAndEveryStrayByteInADigitWordAsTheGeneralPathDecides()
    {
        subscribe(336, "book-10", "XBT/USD", -10, -10);
        final KrakenV1BookDecoder general = new KrakenV1BookDecoder(KrakenV1Feed.MAX_LEVELS_PER_MESSAGE);
        final SplittableRandom random = new SplittableRandom(21);
        final String stray = "/:a .\"-e+,]0";
        int template = 0;
        int fallen = 0;
        for (int round = 0; round < 40_000; round++)
        {
            // 1-9 digits before the dot and 0-9 after (15 in all is the most two words hold), leading zeros, "5541." and "5541";
            // checksums of 1-11 digits; one byte of a price, volume or checksum replaced by a stray byte or a digit in every other round
            final String price = leadingZeros(random, decimal(random, 1 + random.nextInt(9), 1 + random.nextInt(9)));
            final String size = withoutFraction(random, leadingZeros(random, decimal(random, 1 + random.nextInt(9), 1 + random.nextInt(9))));
            final String checksum = Long.toString(random.nextLong(10_000_000_000L, 100_000_000_000L)).substring(0, 1 + random.nextInt(11));
            String frame = "[336,{\"b\":[[\"" + price + "\",\"" + size + "\",\"1534614248.456738\"]],\"c\":\"" + checksum +
                "\"},\"book-10\",\"XBT/USD\"]";
            if ((round & 1) == 1)
            {
                final int at = switch (random.nextInt(3))
                {
                    case 0 -> 13 + random.nextInt(price.length());
                    case 1 -> 13 + price.length() + 3 + random.nextInt(size.length());
                    default -> frame.indexOf("\"c\":") + 5 + random.nextInt(checksum.length());
                };
                frame = frame.substring(0, at) + stray.charAt(random.nextInt(stray.length())) + frame.substring(at + 1);
            }
            final long templateBefore = decoder.templateMessages();
            final String expected = outcome(general, frame);
            assertEquals(expected, outcome(decoder, frame), frame);
            template += decoder.templateMessages() - templateBefore;
            fallen += expected.startsWith("BOOK") && !decoder.isScaled() ? 1 : 0;
        }
        // the fast path still takes most frames (not every: more than 15 digits, 8 or more before the dot, no fraction)
        assertTrue(template > 10_000, "template " + template);
        assertTrue(fallen > 1_000, "fell back " + fallen);
    }

    @Test
    void shouldReadEverySnapshotLevelsTimeAndTheLatestAsTheGeneralPathDoes()
    {
        subscribe(336, "book-10", "XBT/USD", -10, -10);
        final KrakenV1BookDecoder general = new KrakenV1BookDecoder(KrakenV1Feed.MAX_LEVELS_PER_MESSAGE);
        final SplittableRandom random = new SplittableRandom(33);
        final String stray = "/:a .\"-e+,]0";
        int fast = 0;
        for (int round = 0; round < 20_000; round++)
        {
            // 1-12 levels a side; times mostly Kraken's 10.6 sharing their first digits (so the latest is decided by any digit),
            // some of other shapes, some at and beyond 2^63 ns; a stray byte in one time in every fourth round
            final String prefix = random.nextInt(8) == 0 ? "9223372036.85477" : "1618678" + random.nextInt(10) + random.nextInt(10);
            final StringBuilder text = new StringBuilder("[336,{");
            for (final String key : new String[] {"as", "bs"})
            {
                text.append('"').append(key).append("\":[");
                final int count = 1 + random.nextInt(12);
                for (int i = 0; i < count; i++)
                {
                    final String tenSix = (prefix + Long.toString(random.nextLong(10_000_000_000_000L, 100_000_000_000_000L)).substring(1))
                        .substring(0, 17);
                    final String time = switch (random.nextInt(16))
                    {
                        case 0 -> decimal(random, 1 + random.nextInt(10), 1 + random.nextInt(9));
                        case 1 -> "9999999999.999999";
                        default -> tenSix.indexOf('.') == 10 ? tenSix : tenSix.substring(0, 10) + '.' + tenSix.substring(11, 17);
                    };
                    text.append(i == 0 ? "" : ",").append("[\"5541.3\",\"2.5\",\"").append(time).append("\"]");
                }
                text.append("]").append(key.equals("as") ? "," : "");
            }
            String frame = text.append("},\"book-10\",\"XBT/USD\"]").toString();
            if ((round & 3) == 3)
            {
                final int at = frame.indexOf("\",\"", frame.indexOf("2.5")) + 3 + random.nextInt(17);
                frame = frame.substring(0, at) + stray.charAt(random.nextInt(stray.length())) + frame.substring(at + 1);
            }
            final String expected = snapshotTimes(general, frame);
            assertEquals(expected, snapshotTimes(decoder, frame), frame);
            fast += expected.startsWith("BOOK") && decoder.isScaled() ? 1 : 0;
        }
        assertTrue(fast > 5_000, "fast " + fast);

        final String frame = "[336,{\"as\":[[\"5541.3\",\"2.5\",\"1618678133.213465\"],[\"5541.4\",\"2.5\",\"1618678133.213466\"]]," +
            "\"bs\":[[\"5541.2\",\"2.5\",\"1618678132.999999\"]]},\"book-10\",\"XBT/USD\"]";
        assertEquals("BOOK latest=1618678133213466000 1618678132999999000 1618678133213466000 1618678133213465000",
            snapshotTimes(decoder, frame));
        assertTrue(decoder.isScaled());
    }

    /** @return a snapshot's latest time and every level's time as a decoder read them, or the error. */
    private static String snapshotTimes(final KrakenV1BookDecoder decoder, final String frame)
    {
        try
        {
            if (decoder.decode(buffer(frame), 0, frame.length()) != KrakenV1BookDecoder.BOOK || !decoder.isSnapshot())
            {
                return "NOT_A_SNAPSHOT";
            }
            if (!decoder.isScaled() && !decoder.scale(-10, -10))
            {
                return "OUT_OF_RANGE";
            }
            final long latest = decoder.levels().latestTimeNs();
            final StringBuilder times = new StringBuilder("BOOK latest=").append(latest);
            long max = 0;
            for (int i = decoder.levelCount() - 1; i >= 0; i--)
            {
                times.append(' ').append(decoder.timeNs(i));
                max = Math.max(max, decoder.timeNs(i));
            }
            assertEquals(max, latest, frame);
            return times.toString();
        }
        catch (final RuntimeException e)
        {
            return e.getClass().getSimpleName();
        }
    }

    /** @return what a decoder made of a frame: its level (scaled at 1e-10 if the general path read it) and checksum, or the error. */
    private static String outcome(final KrakenV1BookDecoder decoder, final String frame)
    {
        try
        {
            if (decoder.decode(buffer(frame), 0, frame.length()) != KrakenV1BookDecoder.BOOK)
            {
                return "NOT_A_BOOK";
            }
            // a scaled message's levels are only checked (a stray '0' can make a price 0)
            if (!decoder.scale(-10, -10))
            {
                return "OUT_OF_RANGE";
            }
            return "BOOK " + decoder.levelCount() + ' ' + decoder.price(0) + ' ' + decoder.size(0) + ' ' + decoder.timeNs(0) + ' ' +
                decoder.checksum() + ' ' + text(frame, decoder.priceOffset(0), decoder.priceLength(0)) + ' ' +
                text(frame, decoder.sizeOffset(0), decoder.sizeLength(0)) + ' ' + decoder.levels().firstPriceDecimals(buffer(frame)) + ' ' +
                decoder.levels().firstSizeDecimals(buffer(frame));
        }
        catch (final RuntimeException e)
        {
            return e.getClass().getSimpleName();
        }
    }

    private static String leadingZeros(final SplittableRandom random, final String decimal)
    {
        return random.nextInt(8) == 0 ? "0".repeat(1 + random.nextInt(3)) + decimal : decimal;
    }

    private static String withoutFraction(final SplittableRandom random, final String decimal)
    {
        final int choice = random.nextInt(16);
        return choice == 0 ? decimal.substring(0, decimal.indexOf('.') + 1) : choice == 1 ? decimal.substring(0, decimal.indexOf('.')) : decimal;
    }

    @Test
    void shouldFindEveryBoundChannelByItsIdTextBeyondTheCache()
    {
        // more channels than the id-text cache keeps (32): the later ones are found by value
        final List<String> frames = new ArrayList<>();
        for (int i = 0; i < 40; i++)
        {
            final long id = 7 + 997L * i;
            subscribe(id, "book-10", "P" + i + "/USD", -5, -8);
            frames.add("[" + id + ",{\"b\":[[\"5541.30000\",\"2.50700000\",\"1534614248.456738\"]],\"c\":\"9\"},\"book-10\",\"P" + i + "/USD\"]");
        }
        for (int pass = 0; pass < 3; pass++)
        {
            for (int i = 0; i < frames.size(); i++)
            {
                decode(frames.get(i));
                assertTrue(decoder.isScaled(), frames.get(i));
                assertEquals(keys.get("P" + i + "/USD"), decoder.channelKey());
                assertEquals(7 + 997L * i, decoder.channelId());
            }
        }
        decoder.clearChannels();
        decode(frames.get(0));
        assertFalse(decoder.isScaled(), "no channel after a new connection");
    }

    @Test
    void shouldAllocateNothingPerMessageOnEitherPath() throws Exception
    {
        subscribeAll();
        final UnsafeBuffer[] fast = new UnsafeBuffer[FRAMES.size()];
        final UnsafeBuffer[] general = new UnsafeBuffer[FRAMES.size()];
        for (int i = 0; i < FRAMES.size(); i++)
        {
            fast[i] = buffer(FRAMES.get(i));
            general[i] = buffer(checksumFirst(FRAMES.get(i)));
        }
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().threadId();
        long checksums = 0;
        for (int pass = 0; pass < 5; pass++)
        {
            checksums += decodeAll(fast) + decodeAll(general);
        }
        final long before = threads.getThreadAllocatedBytes(thread);
        final long sum = decodeAll(fast) + decodeAll(general);
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertEquals(checksums / 5, sum, "the same values on every pass");
        assertTrue(allocated < 1024, allocated + " bytes allocated over " + 2 * FRAMES.size() + " messages");
    }

    private long decodeAll(final UnsafeBuffer[] frames)
    {
        long sum = 0;
        for (final UnsafeBuffer frame : frames)
        {
            decoder.decode(frame, 0, frame.capacity());
            sum += decoder.checksum() + decoder.levelCount() + (decoder.isScaled() ? decoder.price(0) : 1);
        }
        return sum;
    }

    /** Decodes with the decoder; levels of the general path are resolved at the pair's exponents. */
    private String decode(final String frame)
    {
        final UnsafeBuffer buffer = buffer(frame);
        assertEquals(KrakenV1BookDecoder.BOOK, decoder.decode(buffer, 0, frame.length()));
        final String pair = text(frame, decoder.pairOffset(), decoder.pairLength());
        if (!decoder.isScaled())
        {
            final int[] exponents = exponents(pair);
            assertEquals(KrakenLevels.RESOLVED, decoder.levels().resolve(buffer, exponents[0], exponents[1],
                KrakenLevels.UNKNOWN_DECIMALS, KrakenLevels.UNKNOWN_DECIMALS));
        }
        final List<String> levels = new ArrayList<>();
        for (int i = 0; i < decoder.levelCount(); i++)
        {
            levels.add(KrakenV1BookReference.describe(decoder.side(i).name(), decoder.price(i), decoder.size(i), decoder.timeNs(i),
                decoder.isRepublished(i)));
        }
        final int nameEnd = frame.lastIndexOf('"', decoder.pairOffset() - 3);
        final String name = frame.substring(frame.lastIndexOf('"', nameEnd - 1) + 1, nameEnd);
        return KrakenV1BookReference.describe(decoder.isSnapshot(), decoder.checksum(), name, pair, levels);
    }

    /** The oracle's text; for a frame it rejects, {@link KrakenV1BookReference#REJECTED} once the decoder threw its typed error too. */
    private String reference(final String frame) throws Exception
    {
        final JsonNode message = JSON.readTree(frame);
        final int[] exponents = exponents(message.get(message.size() - 1).asText());
        final String expected = KrakenV1BookReference.decode(frame, exponents[0], exponents[1]);
        if (expected.equals(KrakenV1BookReference.REJECTED))
        {
            assertThrows(KrakenMessageException.class, () -> decoder.decode(buffer(frame), 0, frame.length()), frame);
        }
        return expected;
    }

    private int[] exponents(final String pair)
    {
        return EXPONENTS.getOrDefault(pair, new int[] {-5, -8});
    }

    private void subscribeAll() throws Exception
    {
        for (final String status : STATUSES)
        {
            final JsonNode node = JSON.readTree(status);
            final String pair = node.get("pair").asText();
            final int[] exponents = exponents(pair);
            subscribe(node.get("channelID").asLong(), node.get("channelName").asText(), pair, exponents[0], exponents[1]);
        }
    }

    private void subscribe(final long channelId, final String name, final String pair, final int priceExponent, final int sizeExponent)
    {
        final String text = name + pair;
        decoder.subscribed(channelId, buffer(text), 0, name.length(), name.length(), pair.length());
        final int key = keys.computeIfAbsent(pair, p -> pairsByKey.size());
        if (key == pairsByKey.size())
        {
            pairsByKey.add(pair);
        }
        decoder.bind(channelId, key, priceExponent, sizeExponent);
    }

    /** A decimal of these many digits before and after the dot, not zero, no leading zero unless it is the only one. */
    private static String decimal(final SplittableRandom random, final int integerDigits, final int fractionDigits)
    {
        final StringBuilder text = new StringBuilder();
        text.append(integerDigits == 1 ? random.nextInt(10) : 1 + random.nextInt(9));
        for (int i = 1; i < integerDigits; i++)
        {
            text.append(random.nextInt(10));
        }
        text.append('.');
        for (int i = 1; i < fractionDigits; i++)
        {
            text.append(random.nextInt(10));
        }
        // never zero: a price must be positive
        return text.append(1 + random.nextInt(9)).toString();
    }

    /** @return true for {@code [id,{"a"|"b":[[p,v,t]],"c":"..."},name,pair]}: one dict, one level, then the checksum. */
    private static boolean isOneLevelUpdate(final String frame) throws Exception
    {
        final JsonNode message = JSON.readTree(frame);
        if (message.size() != 4)
        {
            return false;
        }
        final List<String> keys = new ArrayList<>();
        message.get(1).fieldNames().forEachRemaining(keys::add);
        return (keys.equals(List.of("a", "c")) || keys.equals(List.of("b", "c"))) && message.get(1).get(keys.get(0)).size() == 1 &&
            message.get(1).get(keys.get(0)).get(0).size() == 3;
    }

    private static String checksumFirst(final String frame)
    {
        // {"b":[...],"c":"123"} -> {"c":"123","b":[...]}
        return frame.replaceFirst("\\{(\"[ab]\":\\[.*\\]\\]),(\"c\":\"\\d+\")\\}", "{$2,$1}");
    }

    private static String pairOf(final String frame)
    {
        return frame.substring(frame.lastIndexOf('"', frame.length() - 3) + 1, frame.length() - 2);
    }

    private static String text(final String frame, final int offset, final int length)
    {
        return frame.substring(offset, offset + length);
    }

    private static UnsafeBuffer buffer(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }
}
