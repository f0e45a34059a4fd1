package io.loom.runtime.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link JsonPrefix}: a match reads the holes as the general path reads those tokens and leaves
 * the cursor where the general path would be; anything else is no match, with the cursor untouched.
 */
class JsonPrefixTest
{
    private static final String TEMPLATE = "{\"stream\":\"%s\",\"data\":{\"e\":\"%s\",\"E\":%d,\"s\":\"%s\",\"U\":%d,\"u\":%d,\"b\":[";
    private static final String FRAME = "{\"stream\":\"ethusdt@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":1723161255308,\"s\":\"ETHUSDT\","
        + "\"U\":35346513499,\"u\":35346513505,\"b\":[[\"2683.80000000\",\"3.02920000\"]],\"a\":[]}}";

    private final JsonPrefix prefix = new JsonPrefix(TEMPLATE);
    private final JsonCursor cursor = new JsonCursor();

    @Test
    void shouldReadTheHolesAndContinueWhereTheGeneralPathWouldBe()
    {
        final byte[] frame = ascii(FRAME);
        cursor.wrap(new UnsafeBuffer(frame), 0, frame.length);
        assertTrue(prefix.match(cursor));
        assertEquals("ethusdt@depth@100ms", text(frame, 0));
        assertEquals("depthUpdate", text(frame, 1));
        assertEquals(1723161255308L, prefix.value(2));
        assertEquals("ETHUSDT", text(frame, 3));
        assertEquals(35346513499L, prefix.value(4));
        assertEquals(35346513505L, prefix.value(5));
        assertEquals(JsonToken.BEGIN_ARRAY, cursor.token());
        assertEquals(3, cursor.depth());
        assertEquals(FRAME.indexOf("\"b\":[") + 4, cursor.tokenOffset());

        final String general = JsonTokenTranscript.ofCursor(new JsonCursor(), frame);
        assertNotNull(general);
        assertEquals(general.substring(general.indexOf("N(b) [") + "N(b) [ ".length()).trim(), rest(frame));
    }

    @Test
    void shouldReadEveryIntegerUpToFifteenDigitsAsTheGeneralPathDoes()
    {
        final Random random = new Random(21);
        for (int n = 0; n < 20_000; n++)
        {
            final int digits = 1 + random.nextInt(JsonPrefix.MAX_INTEGER_DIGITS);
            final long value = digits == 1 ? random.nextInt(10) : (long)Math.pow(10, digits - 1) + (random.nextLong() & Long.MAX_VALUE) % (9 * (long)Math.pow(10, digits - 1));
            final byte[] frame = ascii(FRAME.replace("1723161255308", Long.toString(value)));
            cursor.wrap(new UnsafeBuffer(frame), 0, frame.length);
            assertTrue(prefix.match(cursor), Long.toString(value));
            assertEquals(value, prefix.value(2));
            assertEquals(Long.toString(value).length(), prefix.length(2));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{ \"stream\"", // whitespace
        "\"E\":1723161255308,\"s\"->\"E\":1723161255308, \"s\"",
        "\"E\":1723161255308->\"E\":01723161255308", // a leading zero: not JSON
        "\"E\":1723161255308->\"E\":-1723161255308",
        "\"E\":1723161255308->\"E\":1723161255308.5",
        "\"E\":1723161255308->\"E\":1e3",
        "\"E\":1723161255308->\"E\":1234567890123456", // 16 digits: the general path reads it
        "\"E\":1723161255308->\"E\":\"1723161255308\"",
        "\"s\":\"ETHUSDT\"->\"s\":\"ETH\\\\u0055SDT\"", // an escape
        "\"s\":\"ETHUSDT\"->\"s\":\"ETH\tUSDT\"", // a control character
        "\"U\":35346513499,\"u\":35346513505->\"u\":35346513505,\"U\":35346513499", // another order
        "\"data\":{->\"data\":{\"x\":1,", // an extra field
        "\"stream\":\"ethusdt@depth@100ms\",->",
        "\"b\":[->\"b\" :["})
    void shouldNotMatchAnythingElseAndLeaveTheCursorUntouched(final String mutation)
    {
        final String[] parts = mutation.split("->", -1);
        final String text = parts.length == 1 ? FRAME.replaceFirst("\\{\"stream\"", "{ \"stream\"") : FRAME.replace(parts[0], parts[1]);
        assertFalse(text.equals(FRAME), mutation);
        final byte[] frame = ascii(text);
        cursor.wrap(new UnsafeBuffer(frame), 0, frame.length);
        assertFalse(prefix.match(cursor), text);
        assertEquals(JsonToken.BEGIN_OBJECT, cursor.next(), "the cursor is where wrap left it");
        assertEquals(0, cursor.tokenOffset());
        assertEquals(1, cursor.depth());
    }

    @Test
    void shouldMatchTheNextMessageAtTheLastLayoutReadingItsIntegers()
    {
        final Random random = new Random(8);
        final byte[] first = ascii(FRAME);
        cursor.wrap(new UnsafeBuffer(first), 0, first.length);
        assertTrue(prefix.match(cursor));
        assertEquals(0, prefix.layoutMatches(), "the first match is made piece by piece");
        for (int n = 1; n <= 5_000; n++)
        {
            final long time = 1_000_000_000_000L + (random.nextLong() & Long.MAX_VALUE) % 9_000_000_000_000L;
            final long firstId = 10_000_000_000L + (random.nextLong() & Long.MAX_VALUE) % 90_000_000_000L;
            final long finalId = 10_000_000_000L + (random.nextLong() & Long.MAX_VALUE) % 90_000_000_000L;
            final String text = FRAME.replace("1723161255308", Long.toString(time)).replace("35346513499", Long.toString(firstId))
                .replace("35346513505", Long.toString(finalId));
            final byte[] frame = ascii(" ".repeat(n % 5) + text);
            cursor.wrap(new UnsafeBuffer(frame), n % 5, text.length());
            assertTrue(prefix.match(cursor), text);
            assertEquals(n, prefix.layoutMatches(), text);
            assertEquals(time, prefix.value(2));
            assertEquals(firstId, prefix.value(4));
            assertEquals(finalId, prefix.value(5));
            assertEquals(n % 5 + FRAME.indexOf("ETHUSDT"), prefix.offset(3));
            assertEquals(7, prefix.length(3));
            assertEquals(n % 5 + FRAME.indexOf("\"b\":[") + 4, cursor.tokenOffset());
            assertEquals(JsonToken.BEGIN_ARRAY, cursor.token());
            assertEquals(3, cursor.depth());
        }
    }

    @Test
    void shouldMatchAtTheLayoutOnlyAMessageLaidOutAsTheLastMatchAndPieceByPieceAnyOther()
    {
        final byte[] frame = ascii(FRAME);
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        cursor.wrap(buffer, 0, frame.length);
        assertFalse(prefix.matchAtLayout(cursor), "no last match, no layout");
        assertTrue(prefix.matchPieceByPiece(cursor), "the cursor was left untouched");
        assertEquals(0, prefix.layoutMatches());

        final byte[] sameLayout = ascii(FRAME.replace("1723161255308", "1723161255999"));
        cursor.wrap(new UnsafeBuffer(sameLayout), 0, sameLayout.length);
        assertTrue(prefix.matchAtLayout(cursor));
        assertEquals(1, prefix.layoutMatches());
        assertEquals(1723161255999L, prefix.value(2));
        assertEquals(JsonToken.BEGIN_ARRAY, cursor.token());

        // one digit more or less, a longer or shorter string: not at the layout, the cursor untouched; piece by
        // piece the same holes as the general path reads, and that layout kept
        for (final String other : new String[]{FRAME.replace("1723161255308", "17231612553080"), FRAME.replace("ETHUSDT", "ETH USDT"),
            FRAME.replace("ethusdt@depth@100ms", "ethusdt@depth"), FRAME.replace("35346513499", "3534651349")})
        {
            final byte[] bytes = ascii(other);
            cursor.wrap(new UnsafeBuffer(bytes), 0, bytes.length);
            assertFalse(prefix.matchAtLayout(cursor), other);
            assertTrue(prefix.matchPieceByPiece(cursor), other);
            final String general = JsonTokenTranscript.ofCursor(new JsonCursor(), bytes);
            assertTrue(general.contains("S(" + new String(bytes, prefix.offset(0), prefix.length(0), StandardCharsets.US_ASCII) + ")"), other);
            assertTrue(general.contains("S(" + new String(bytes, prefix.offset(1), prefix.length(1), StandardCharsets.US_ASCII) + ")"), other);
            assertTrue(general.contains("S(" + text(bytes, 3) + ")"), other);
            assertEquals(other.contains("17231612553080") ? 17231612553080L : 1723161255308L, prefix.value(2), other);
            assertEquals(other.contains("3534651349,") ? 3534651349L : 35346513499L, prefix.value(4), other);
            assertEquals(other.indexOf("\"b\":[") + 4, cursor.tokenOffset(), other);
            cursor.wrap(new UnsafeBuffer(bytes), 0, bytes.length);
            assertTrue(prefix.matchAtLayout(cursor), "its own layout, kept: " + other);
        }

        final byte[] quoted = ascii(FRAME.replace("ETHUSDT", "ETH\"USD"));
        cursor.wrap(new UnsafeBuffer(quoted), 0, quoted.length);
        assertFalse(prefix.matchAtLayout(cursor));
        assertFalse(prefix.matchPieceByPiece(cursor));
        assertEquals(JsonToken.BEGIN_OBJECT, cursor.next(), "untouched");
    }

    /**
     * After a match, the next message is tried at its layout first: every way of missing it (a
     * number of another length, a leading zero or a letter where a digit was, a string one byte
     * longer or shorter, an escape, a truncated frame, and every mutation the template rejects) must give what a
     * prefix that never matched before gives, values included.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "\"E\":1723161255308->\"E\":17231612553081", // one digit more: a new layout
        "\"E\":1723161255308->\"E\":172316125530", // one digit fewer
        "\"U\":35346513499->\"U\":3", // one digit
        "\"E\":1723161255308->\"E\":0723161255308", // a leading zero, same length: not JSON
        "\"u\":35346513505->\"u\":0",
        "\"E\":1723161255308->\"E\":172316125530x", // a letter where a digit was
        "\"U\":35346513499->\"U\":3534651349-",
        "\"E\":1723161255308->\"E\":17231612553.8",
        "ethusdt@depth@100ms->ethusdt@depth@1000ms",
        "\"s\":\"ETHUSDT\"->\"s\":\"ETHUSD\"",
        "\"s\":\"ETHUSDT\"->\"s\":\"ETH\\\\USDT\"", // an escape
        "\"E\":1723161255308,\"s\"->\"E\":1723161255308, \"s\"",
        "\"b\":[->\"b\" :[",
        "\"b\":[->\"B\":["})
    void shouldMatchAtTheLastLayoutOnlyWhatAFreshPrefixMatches(final String mutation)
    {
        final byte[] first = ascii(FRAME);
        cursor.wrap(new UnsafeBuffer(first), 0, first.length);
        assertTrue(prefix.match(cursor));
        final String[] parts = mutation.split("->", -1);
        final String text = FRAME.replace(parts[0], parts[1]);
        assertFalse(text.equals(FRAME), mutation);
        final byte[] frame = ascii(text);
        final JsonPrefix fresh = new JsonPrefix(TEMPLATE);
        final boolean expected = fresh.match(new JsonCursor().wrap(new UnsafeBuffer(frame), 0, frame.length));
        cursor.wrap(new UnsafeBuffer(frame), 0, frame.length);
        assertEquals(expected, prefix.match(cursor), text);
        assertEquals(0, prefix.layoutMatches(), "the layout missed: " + text);
        if (expected)
        {
            for (int hole = 0; hole < 6; hole++)
            {
                assertEquals(fresh.offset(hole), prefix.offset(hole), text);
                assertEquals(fresh.length(hole), prefix.length(hole), text);
            }
            assertEquals(fresh.value(2), prefix.value(2), text);
            assertEquals(fresh.value(4), prefix.value(4), text);
            assertEquals(fresh.value(5), prefix.value(5), text);
        }
        else
        {
            assertEquals(JsonToken.BEGIN_OBJECT, cursor.next(), "the cursor is where wrap left it");
        }
        for (int length = 0; length < FRAME.indexOf("\"b\":[") + 5; length++)
        {
            cursor.wrap(new UnsafeBuffer(first), 0, length);
            assertFalse(prefix.match(cursor), "truncated to " + length + " after a match");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"s\":\"ETHUSDT\"->\"s\":\"BTCUSDT\"", "ethusdt@depth@100ms->btcusdt@depth@100ms",
        "\"e\":\"depthUpdate\"->\"e\":\"depthUpdatf\"", "ETHUSDT->ETH\u00e9SD"})
    void shouldMatchStringsOfTheSameLengthAtTheLastLayout(final String mutation)
    {
        final byte[] first = ascii(FRAME);
        cursor.wrap(new UnsafeBuffer(first), 0, first.length);
        assertTrue(prefix.match(cursor));
        final String[] parts = mutation.split("->", -1);
        final byte[] frame = FRAME.replace(parts[0], parts[1]).getBytes(StandardCharsets.UTF_8);
        assertEquals(first.length, frame.length, mutation);
        final JsonPrefix fresh = new JsonPrefix(TEMPLATE);
        assertTrue(fresh.match(new JsonCursor().wrap(new UnsafeBuffer(frame), 0, frame.length)), mutation);
        cursor.wrap(new UnsafeBuffer(frame), 0, frame.length);
        assertTrue(prefix.match(cursor), mutation);
        assertEquals(1, prefix.layoutMatches(), mutation);
        for (int hole = 0; hole < 6; hole++)
        {
            assertEquals(fresh.offset(hole), prefix.offset(hole), mutation);
            assertEquals(fresh.length(hole), prefix.length(hole), mutation);
        }
        assertEquals(fresh.value(2), prefix.value(2));
        assertEquals(JsonToken.BEGIN_ARRAY, cursor.token());
    }

    @Test
    void shouldMatchAFrameThatEndsJustAfterThePrefixAndTheNextOneAsUsual()
    {
        final byte[] frame = ascii(FRAME);
        final int prefixEnd = FRAME.indexOf("\"b\":[") + 5;
        for (int length = prefixEnd + 2; length < prefixEnd + 2 * Long.BYTES; length++)
        {
            final byte[] shortFrame = Arrays.copyOf(frame, length);
            cursor.wrap(new UnsafeBuffer(shortFrame), 0, length);
            assertTrue(prefix.match(cursor), "length " + length);
            assertEquals(35346513505L, prefix.value(5));
            cursor.wrap(new UnsafeBuffer(frame), 0, frame.length);
            assertTrue(prefix.match(cursor), "the full frame after one of length " + length);
            assertEquals(1723161255308L, prefix.value(2));
            assertEquals(FRAME.indexOf("ETHUSDT"), prefix.offset(3));
        }
        assertTrue(prefix.layoutMatches() > 0, "frames long enough were matched at the layout");
    }

    @Test
    void shouldNotMatchATruncatedFrameNorACursorThatAlreadyMoved()
    {
        final byte[] frame = ascii(FRAME);
        final int prefixEnd = FRAME.indexOf("\"b\":[") + 5;
        for (int length = 0; length < prefixEnd; length++)
        {
            cursor.wrap(new UnsafeBuffer(frame), 0, length);
            assertFalse(prefix.match(cursor), "length " + length);
        }
        cursor.wrap(new UnsafeBuffer(frame), 0, frame.length);
        cursor.next();
        assertFalse(prefix.match(cursor));
    }

    @Test
    void shouldMatchAFrameInOffHeapMemoryAtAnOffset()
    {
        final byte[] frame = ascii(FRAME);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(frame.length + 13));
        direct.putBytes(13, frame);
        cursor.wrap(direct, 13, frame.length);
        assertTrue(prefix.match(cursor));
        assertEquals(13 + FRAME.indexOf("ETHUSDT"), prefix.offset(3));
        assertEquals(35346513505L, prefix.value(5));
        assertEquals("[ \"2683.80000000\" \"3.02920000\" ] ] N(a) [ ] } }", restOf(direct));
    }

    @Test
    void shouldMatchStringsWithBytesAboveAscii()
    {
        final byte[] frame = FRAME.replace("ethusdt@depth", "éthusdt@depth").getBytes(StandardCharsets.UTF_8);
        cursor.wrap(new UnsafeBuffer(frame), 0, frame.length);
        assertTrue(prefix.match(cursor));
        assertEquals("éthusdt@depth@100ms", new String(frame, prefix.offset(0), prefix.length(0), StandardCharsets.UTF_8));
    }

    @Test
    void shouldHandOverInsideAnObjectToo()
    {
        final JsonPrefix object = new JsonPrefix("[%d,{");
        final byte[] frame = ascii("[42,{\"b\":[],\"c\":\"1\"},\"book-10\"]");
        cursor.wrap(new UnsafeBuffer(frame), 0, frame.length);
        assertTrue(object.match(cursor));
        assertEquals(42, object.value(0));
        assertEquals(JsonToken.BEGIN_OBJECT, cursor.token());
        assertEquals("N(b) [ ] N(c) S(1) } S(book-10) ]", rest(frame));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\"a\"", "{\"a\":\"%s", "{\"a\":%d,", "{\"a\":1}}", "{}{", "{\"a\":1}[1]", "[1]]", "{\"a\":[1]"})
    void shouldRejectTemplatesThatDoNotEndAtABracketOfOneValue(final String template)
    {
        assertThrows(IllegalArgumentException.class, () -> new JsonPrefix(template));
    }

    private static final String TICKER_TEMPLATE = "{\"stream\":\"%s\",\"data\":{\"u\":%d,\"s\":\"%s\",\"b\":\"%s\",\"B\":\"%s\"}}";
    private static final String TICKER = "{\"stream\":\"ethusdt@bookTicker\",\"data\":{\"u\":35346513501,\"s\":\"ETHUSDT\","
        + "\"b\":\"2683.80000000\",\"B\":\"3.02920000\"}}";

    @Test
    void shouldMatchAWholeMessageAndLeaveOnlyItsEndToCheckAtTheLayoutOrPieceByPiece()
    {
        final JsonPrefix whole = new JsonPrefix(TICKER_TEMPLATE);
        final Random random = new Random(13);
        for (int n = 0; n < 3_000; n++)
        {
            // the last string's length changes one message in four: a new layout, matched piece by piece
            final String quantity = (n % 4 == 3 ? Integer.toString(1 + random.nextInt(999)) : Integer.toString(random.nextInt(10)))
                + "." + String.format("%08d", random.nextInt(100_000_000));
            final long id = 10_000_000_000L + random.nextInt(1_000_000);
            final String text = TICKER.replace("3.02920000", quantity).replace("35346513501", Long.toString(id));
            final byte[] frame = ascii("xx" + text);
            cursor.wrap(new UnsafeBuffer(frame), 2, text.length());
            assertTrue(whole.match(cursor), text);
            assertEquals(id, whole.value(1), text);
            assertEquals("ETHUSDT", new String(frame, whole.offset(2), whole.length(2), StandardCharsets.US_ASCII));
            assertEquals(quantity, new String(frame, whole.offset(4), whole.length(4), StandardCharsets.US_ASCII));
            assertEquals(JsonToken.END_OBJECT, cursor.token());
            assertEquals(0, cursor.depth());
            assertEquals(2 + text.length() - 1, cursor.tokenOffset());
            assertEquals(JsonToken.END_OF_INPUT, cursor.next(), text);
        }
        assertTrue(whole.layoutMatches() > 1_000, "most at the last layout: " + whole.layoutMatches());

        final byte[] trailing = ascii(TICKER + "x");
        cursor.wrap(new UnsafeBuffer(trailing), 0, trailing.length);
        assertTrue(whole.match(cursor), "the template is the message's first bytes");
        assertEquals(JsonFormatException.Reason.TRAILING_DATA, assertThrows(JsonFormatException.class, cursor::next).reason());
    }

    @Test
    void shouldNotMatchAWholeMessageCutAnywhereNorOneShorterThanAWord()
    {
        final JsonPrefix whole = new JsonPrefix(TICKER_TEMPLATE);
        final byte[] frame = ascii(TICKER);
        cursor.wrap(new UnsafeBuffer(frame), 0, frame.length);
        assertTrue(whole.match(cursor));
        for (int length = 0; length < frame.length; length++)
        {
            cursor.wrap(new UnsafeBuffer(frame), 0, length);
            assertFalse(whole.match(cursor), "length " + length);
            assertFalse(new JsonPrefix(TICKER_TEMPLATE).match(cursor), "length " + length + ", piece by piece");
        }
        for (final String content : new String[]{"", "x", "xy", "xyz1234", "xyz12345"})
        {
            final JsonPrefix tiny = new JsonPrefix("{\"a\":\"%s\"}");
            final byte[] small = ascii("{\"a\":\"" + content + "\"}");
            cursor.wrap(new UnsafeBuffer(small), 0, small.length);
            assertTrue(tiny.match(cursor), "a string hole up to the message's last bytes: " + content);
            assertEquals(content, new String(small, tiny.offset(0), tiny.length(0), StandardCharsets.US_ASCII));
            assertEquals(JsonToken.END_OF_INPUT, cursor.next());
        }
        final byte[] four = ascii("[{}]");
        cursor.wrap(new UnsafeBuffer(four), 0, four.length);
        assertFalse(new JsonPrefix("[{").match(cursor), "shorter than eight bytes: the general path reads it");
        assertEquals(JsonToken.BEGIN_ARRAY, cursor.next());
    }

    private static final String UNCHECKED_TEMPLATE = "{\"stream\":\"%s\",\"data\":{\"u\":%d,\"s\":\"%s\",\"b\":\"%v\",\"B\":\"%v\"}}";

    /**
     * A {@code %v} hole is read as a {@code %s} one piece by piece, left unchecked at the layout and
     * checked on demand ({@code isStringContent}); a {@code %s} hole at the layout is compared with
     * the last match's bytes and checked by content when they differ.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2683.80000000 | 2683.81000000 | true  | true  | true",
        "2683.80000000 | 2683.8\"000000 | true  | false | false",
        "2683.80000000 | 2683.8\\000000 | true  | false | false",
        "2683.80000000 | 2683.8\u0001000000 | true  | false | false",
        "2683.80000000 | 2683.8\u00e900000 | true  | true  | true",
        "2683.80000000 | -683.8.000000 | true  | true  | true",
        "ETHUSDT       | BTCUSDT       | true  | true  | true",
        "ETHUSDT       | ETH\"SDT       | false | false | false",
        "ETHUSDT       | ETH\\SDT       | false | false | false",
        "ETHUSDT       | ETH\u0001SDT       | false | false | false",
        "ethusdt@bookTicker | ethusdt@bookTickes | true | true | true",
        "ethusdt@bookTicker | ethusdt\"bookTicker | false | false | false"})
    void shouldLeaveAnUncheckedHoleToTheCallerAndCompareACheckedOneWithTheLastMatch(
        final String from, final String to, final boolean atLayout, final boolean content, final boolean fresh)
    {
        final JsonPrefix whole = new JsonPrefix(UNCHECKED_TEMPLATE);
        final byte[] first = ascii(TICKER);
        cursor.wrap(new UnsafeBuffer(first), 0, first.length);
        assertFalse(whole.matchAtLayout(cursor), "no layout before a first match");
        assertTrue(whole.matchPieceByPiece(cursor));
        assertTrue(whole.isStringContent(3) && whole.isStringContent(4));
        final byte[] frame = TICKER.replace(from, to).getBytes(StandardCharsets.UTF_8);
        assertEquals(first.length, frame.length, to);
        assertEquals(fresh, new JsonPrefix(UNCHECKED_TEMPLATE).match(new JsonCursor().wrap(new UnsafeBuffer(frame), 0, frame.length)), to);
        cursor.wrap(new UnsafeBuffer(frame), 0, frame.length);
        assertEquals(atLayout, whole.matchAtLayout(cursor), to);
        if (atLayout)
        {
            assertEquals(content, whole.isStringContent(3), to);
            assertTrue(whole.isStringContent(0) && whole.isStringContent(2) && whole.isStringContent(4), to);
            assertEquals(JsonToken.END_OF_INPUT, cursor.next(), to);
            assertEquals(1, whole.layoutMatches());
        }
        else
        {
            assertTrue(cursor.isAtStart(), "untouched: " + to);
        }
    }

    /** The transcript of the cursor's remaining tokens, as {@link JsonTokenTranscript} writes them. */
    private String rest(final byte[] frame)
    {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < frame.length; i++)
        {
            final JsonToken token = cursor.next();
            if (token == JsonToken.END_OF_INPUT)
            {
                return out.toString().trim();
            }
            final String raw = new String(frame, cursor.tokenOffset(), cursor.tokenLength(), StandardCharsets.UTF_8);
            out.append(switch (token)
            {
                case FIELD_NAME -> "N(" + raw + ")";
                case STRING -> "S(" + raw + ")";
                default -> raw;
            }).append(' ');
        }
        throw new AssertionError("no END_OF_INPUT");
    }

    private String restOf(final UnsafeBuffer buffer)
    {
        final StringBuilder out = new StringBuilder();
        for (JsonToken token = cursor.next(); token != JsonToken.END_OF_INPUT; token = cursor.next())
        {
            final String raw = buffer.getStringWithoutLengthAscii(cursor.tokenOffset(), cursor.tokenLength());
            out.append(token == JsonToken.FIELD_NAME ? "N(" + raw + ")" : token == JsonToken.STRING ? '"' + raw + '"' : raw).append(' ');
        }
        return out.toString().trim();
    }

    private String text(final byte[] frame, final int hole)
    {
        return new String(frame, prefix.offset(hole), prefix.length(hole), StandardCharsets.US_ASCII);
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
