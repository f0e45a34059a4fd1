package io.loom.connectors.binance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureRecordKind;
import io.loom.runtime.codec.DecimalFormatException;
import io.loom.runtime.codec.JsonCursor;
import io.loom.runtime.codec.JsonPrefix;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Differential test of the one-pass decoder: every depthUpdate frame and every REST depth snapshot
 * of the bundled Binance captures, decoded by {@link BinanceMessageDecoder} (levels read in the
 * first pass, and again with the exponents unknown until {@code parseDecimals}, the second-pass
 * path) and by an independent reference, Jackson's streaming parser with {@link BigDecimal}: the
 * same ids, times, symbol and, level by level in wire order, the same side and the same exact
 * mantissas. Each frame is decoded at the exponents every level fits (-8/-8) and at tight ones
 * (-1/-1) that many real decimals do not fit: there both must fail, on the same decimal, Loom with
 * {@link DecimalFormatException.Reason#PRECISION_LOSS}. Every spot and USD-M depthUpdate frame
 * takes the envelope's fast path ({@code JsonPrefix}); each is also decoded written in six ways
 * that miss it (whitespace, {@code data} before {@code stream}, {@code u} before {@code U}, an
 * extra field, spaces around a colon, an escape in the stream name) and must give what Jackson gives for those bytes;
 * in four ways that leave a level to the levels' byte loop or general path (see {@code missingTheFixedFraction});
 * and in four ways that miss the layout of the frame before (see {@code missingTheLayout}). The decoders live for
 * the whole capture, as a feed's does, so the envelope is matched at the last frame's layout whenever it can be.
 */
class BinanceDecoderMatchesJacksonTest
{
    private static final JsonFactory JSON = new JsonFactory();

    @ParameterizedTest
    @ValueSource(strings = {
        BinanceCaptures.SPOT_ETHUSDT, BinanceCaptures.SPOT_4SYMBOLS, BinanceCaptures.USDM_ETHUSDT, BinanceCaptures.COINM_10SYMBOLS})
    void shouldDecodeEveryDepthFrameAndSnapshotOfTheCaptureAsJacksonAndBigDecimalDo(final String relative) throws IOException
    {
        final Capture capture = BinanceCaptures.load(relative);
        final DirectBuffer buffer = capture.buffer();
        int frames = 0;
        int snapshots = 0;
        int failedAtTightExponents = 0;
        int envelopesMatched = 0;
        final JsonPrefix spotEnvelope = new JsonPrefix(BinanceMessageDecoder.SPOT_DEPTH_TEMPLATE);
        final JsonPrefix futuresEnvelope = new JsonPrefix(BinanceMessageDecoder.FUTURES_DEPTH_TEMPLATE);
        final BinanceMessageDecoder[] decoders = {decoder(-8, true), decoder(-8, false), decoder(-1, true), decoder(-1, false)};
        for (int i = 0; i < capture.size(); i++)
        {
            final boolean snapshot = capture.kind(i) == CaptureRecordKind.REST;
            if (!snapshot && (capture.kind(i) != CaptureRecordKind.WS || !capture.payloadAsString(i).contains("\"depthUpdate\"")))
            {
                continue;
            }
            final int offset = snapshot ? capture.restBodyOffset(i) : capture.payloadOffset(i);
            final int length = snapshot ? capture.restBodyLength(i) : capture.payloadLength(i);
            final byte[] text = new byte[length];
            buffer.getBytes(offset, text);
            for (final int exponent : new int[]{-8, -1})
            {
                final String expected = reference(text, exponent);
                final String where = relative + " record " + i + " at " + exponent + ": " + new String(text, 0, Math.min(300, length), StandardCharsets.US_ASCII);
                final int known = exponent == -8 ? 0 : 2;
                assertEquals(expected, loom(decoders[known], buffer, offset, length, snapshot, exponent), where);
                assertEquals(expected, loom(decoders[known + 1], buffer, offset, length, snapshot, exponent), where + " (exponents unknown until parseDecimals)");
                if (exponent == -8)
                {
                    assertTrue(!expected.startsWith("fails"), where);
                }
                else if (expected.startsWith("fails"))
                {
                    failedAtTightExponents++;
                }
            }
            if (snapshot)
            {
                snapshots++;
            }
            else
            {
                frames++;
                envelopesMatched += matchesAnEnvelope(spotEnvelope, futuresEnvelope, buffer, offset, length) ? 1 : 0;
                for (final String mutated : missingTheEnvelope(new String(text, StandardCharsets.US_ASCII)))
                {
                    final byte[] bytes = mutated.getBytes(StandardCharsets.US_ASCII);
                    final UnsafeBuffer copy = new UnsafeBuffer(bytes);
                    assertFalse(matchesAnEnvelope(spotEnvelope, futuresEnvelope, copy, 0, bytes.length), mutated);
                    final String expected = reference(bytes, -8);
                    assertEquals(expected, loom(decoders[0], copy, 0, bytes.length, false, -8), mutated);
                    assertEquals(expected, loom(decoders[1], copy, 0, bytes.length, false, -8), mutated + " (exponents unknown until parseDecimals)");
                }
                for (final String mutated : missingTheFixedFraction(new String(text, StandardCharsets.US_ASCII)))
                {
                    final byte[] bytes = mutated.getBytes(StandardCharsets.US_ASCII);
                    final UnsafeBuffer copy = new UnsafeBuffer(bytes);
                    assertEquals(reference(bytes, -8), loom(decoders[0], copy, 0, bytes.length, false, -8), mutated);
                }
                for (final String mutated : missingTheLayout(new String(text, StandardCharsets.US_ASCII)))
                {
                    loom(decoders[0], buffer, offset, length, false, -8);
                    final byte[] bytes = mutated.getBytes(StandardCharsets.US_ASCII);
                    assertEquals(reference(bytes, -8), loom(decoders[0], new UnsafeBuffer(bytes), 0, bytes.length, false, -8), mutated);
                }
            }
        }
        // COIN-M's depthUpdate has "ps" after "s": no template, every frame goes the general way.
        assertEquals(relative.equals(BinanceCaptures.COINM_10SYMBOLS) ? 0 : frames, envelopesMatched, relative + ": frames on the envelope fast path");
        final long atTheLastLayout = spotEnvelope.layoutMatches() + futuresEnvelope.layoutMatches();
        assertTrue(relative.equals(BinanceCaptures.COINM_10SYMBOLS) ? atTheLastLayout == 0 : atTheLastLayout > frames / 2,
            relative + ": " + atTheLastLayout + " of " + frames + " envelopes matched at the last frame's layout");
        assertTrue(frames >= 10, relative + ": only " + frames + " depthUpdate frames");
        assertTrue(snapshots >= 1, relative + ": no snapshot");
        assertTrue(failedAtTightExponents > 0, relative + ": no frame exercised the failure path");
    }

    private static boolean matchesAnEnvelope(
        final JsonPrefix spot, final JsonPrefix futures, final DirectBuffer buffer, final int offset, final int length)
    {
        final JsonCursor cursor = new JsonCursor();
        return spot.match(cursor.wrap(buffer, offset, length)) || futures.match(cursor.wrap(buffer, offset, length));
    }

    /**
     * The frame as the envelope's template still matches it but not at the layout of the frame
     * decoded just before (the frame itself): an event time one digit longer, one digit shorter,
     * the symbol in lower case, another stream name of the same length.
     */
    private static List<String> missingTheLayout(final String frame)
    {
        final int symbol = frame.indexOf("\"s\":\"") + 5;
        final int symbolEnd = frame.indexOf('"', symbol);
        return List.of(
            frame.replaceFirst("\"E\":(\\d+)", "\"E\":$19"),
            frame.replaceFirst("\"E\":(\\d+)\\d", "\"E\":$1"),
            frame.substring(0, symbol) + frame.substring(symbol, symbolEnd).toLowerCase(java.util.Locale.ROOT) + frame.substring(symbolEnd),
            frame.replaceFirst("\"stream\":\"[^\"]", "\"stream\":\"~"));
    }

    /** The frame written in ways that are the same message but miss the envelope's fast path. */
    private static List<String> missingTheEnvelope(final String frame)
    {
        final int data = frame.indexOf(",\"data\":");
        return List.of(
            "{ " + frame.substring(1),
            "{" + frame.substring(data + 1, frame.length() - 1) + "," + frame.substring(1, data) + "}",
            frame.replaceFirst("\"U\":(\\d+),\"u\":(\\d+)", "\"u\":$2,\"U\":$1"),
            frame.replace("\"data\":{", "\"data\":{\"x\":[1,{\"y\":\"z\"}],"),
            frame.replace("\"E\":", "\"E\" : "),
            frame.replaceFirst("@depth", "\\\\u0040depth"));
    }

    /**
     * The frame with one level written in a way that the levels' fixed-fraction path
     * ({@code DecimalPairs}) leaves to the byte loop or the general path, the same values: the
     * first bid price without its trailing zeros (a fraction shorter than its neighbours'), with
     * four leading zeros (no dot in its first eight bytes), the first ask quantity without its
     * trailing zeros, and a space between the first two bids.
     */
    private static List<String> missingTheFixedFraction(final String frame)
    {
        return List.of(
            frame.replaceFirst("(\"b(?:ids)?\":\\[\\[\"\\d+\\.\\d*?[1-9])0+\"", "$1\""),
            frame.replaceFirst("(\"b(?:ids)?\":\\[\\[\")", "$10000"),
            frame.replaceFirst("(\"a(?:sks)?\":\\[\\[\"[^\"]*\",\"\\d+\\.\\d*?[1-9])0+\"", "$1\""),
            frame.replaceFirst("\"\\],\\[\"", "\"], [\""));
    }

    private static BinanceMessageDecoder decoder(final int exponent, final boolean exponentsKnown)
    {
        return new BinanceMessageDecoder((b, o, l) -> exponentsKnown ? BinanceSymbolExponents.of(exponent, exponent) : BinanceSymbolExponents.UNKNOWN);
    }

    private static String loom(
        final BinanceMessageDecoder decoder, final DirectBuffer buffer, final int offset, final int length, final boolean snapshot, final int exponent)
    {
        try
        {
            if (snapshot)
            {
                decoder.decodeSnapshot(buffer, offset, length, exponent, exponent);
            }
            else
            {
                decoder.decodeFrame(buffer, offset, length);
                decoder.parseDecimals(exponent, exponent);
            }
        }
        catch (final DecimalFormatException ex)
        {
            return "fails " + ex.reason();
        }
        final BinanceMessage m = decoder.message();
        final StringBuilder text = new StringBuilder();
        if (!snapshot)
        {
            text.append("s=").append(buffer.getStringWithoutLengthAscii(m.symbolOffset(), m.symbolLength())).append(" E=").append(m.eventTimeMs())
                .append(" T=").append(m.transactionTimeMs()).append(" U=").append(m.firstUpdateId());
        }
        text.append(" u=").append(m.finalUpdateId());
        if (m.hasPreviousFinalUpdateId())
        {
            text.append(" pu=").append(m.previousFinalUpdateId());
        }
        for (int i = 0; i < m.levelCount(); i++)
        {
            text.append(' ').append(m.levelSide(i) == io.loom.api.event.Side.ASK ? 'a' : 'b').append(m.levelPrice(i)).append('x').append(m.levelQuantity(i));
        }
        return text.toString();
    }

    /** The same text from Jackson tokens and BigDecimal: wrapper fields skipped, levels in wire order. */
    private static String reference(final byte[] frame, final int exponent) throws IOException
    {
        final List<String> levels = new ArrayList<>();
        String symbol = null;
        long eventTime = 0;
        long transactionTime = 0;
        long first = 0;
        long last = 0;
        Long previous = null;
        String failure = null;
        try (JsonParser parser = JSON.createParser(frame))
        {
            parser.nextToken();
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken())
            {
                final String name = parser.currentName();
                parser.nextToken();
                if (name.equals("data"))
                {
                    for (JsonToken field = parser.nextToken(); field == JsonToken.FIELD_NAME; field = parser.nextToken())
                    {
                        final String inner = parser.currentName();
                        parser.nextToken();
                        switch (inner)
                        {
                            case "s" -> symbol = parser.getText();
                            case "E" -> eventTime = parser.getLongValue();
                            case "T" -> transactionTime = parser.getLongValue();
                            case "U" -> first = parser.getLongValue();
                            case "u" -> last = parser.getLongValue();
                            case "pu" -> previous = parser.getLongValue();
                            case "b", "a" -> failure = levels(parser, inner.equals("a") ? 'a' : 'b', exponent, levels, failure);
                            default -> parser.skipChildren();
                        }
                    }
                }
                else
                {
                    switch (name)
                    {
                        case "lastUpdateId" -> last = parser.getLongValue();
                        case "bids", "asks" -> failure = levels(parser, name.equals("asks") ? 'a' : 'b', exponent, levels, failure);
                        default -> parser.skipChildren();
                    }
                }
            }
        }
        if (failure != null)
        {
            return failure;
        }
        final StringBuilder text = new StringBuilder();
        if (symbol != null)
        {
            text.append("s=").append(symbol).append(" E=").append(eventTime).append(" T=").append(transactionTime).append(" U=").append(first);
        }
        text.append(" u=").append(last);
        if (previous != null)
        {
            text.append(" pu=").append(previous);
        }
        for (final String level : levels)
        {
            text.append(' ').append(level);
        }
        return text.toString();
    }

    /** @return the first failure so far: the one given, else this array's first decimal that does not fit, else null. */
    private static String levels(final JsonParser parser, final char side, final int exponent, final List<String> levels, final String failure)
        throws IOException
    {
        String first = failure;
        for (JsonToken token = parser.nextToken(); token == JsonToken.START_ARRAY; token = parser.nextToken())
        {
            parser.nextToken();
            final String price = parser.getText();
            parser.nextToken();
            final String quantity = parser.getText();
            parser.nextToken();
            for (final String decimal : new String[]{price, quantity})
            {
                if (first == null && !fits(decimal, exponent))
                {
                    first = "fails " + DecimalFormatException.Reason.PRECISION_LOSS;
                }
            }
            if (first == null)
            {
                levels.add(side + Long.toString(mantissa(price, exponent)) + "x" + mantissa(quantity, exponent));
            }
        }
        return first;
    }

    private static boolean fits(final String decimal, final int exponent)
    {
        return new BigDecimal(decimal).movePointRight(-exponent).stripTrailingZeros().scale() <= 0;
    }

    private static long mantissa(final String decimal, final int exponent)
    {
        return new BigDecimal(decimal).movePointRight(-exponent).longValueExact();
    }
}
