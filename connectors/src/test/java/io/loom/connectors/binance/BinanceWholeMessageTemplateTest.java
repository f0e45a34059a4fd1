package io.loom.connectors.binance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureRecordKind;
import io.loom.runtime.codec.DecimalFormatException;
import io.loom.runtime.codec.JsonCursor;
import io.loom.runtime.codec.JsonFormatException;
import io.loom.runtime.codec.JsonPrefix;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole-message fast paths (a spot bookTicker, a spot trade) read exactly what the general
 * path reads, and fail exactly as it fails: every frame is compared with the same JSON read token
 * by token (a space after its first brace, which no template matches), values or typed error.
 */
class BinanceWholeMessageTemplateTest
{
    private static final String TICKER = "{\"stream\":\"ethusdt@bookTicker\",\"data\":{\"u\":35346513501,\"s\":\"ETHUSDT\","
        + "\"b\":\"2683.80000000\",\"B\":\"3.02920000\",\"a\":\"2683.81000000\",\"A\":\"31.43950000\"}}";
    private static final String TRADE = "{\"stream\":\"ethusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":1723161255612,\"s\":\"ETHUSDT\","
        + "\"t\":1520538925,\"p\":\"2683.80000000\",\"q\":\"0.00200000\",\"T\":1723161255611,\"m\":true,\"M\":true}}";
    private static final String[] WHOLE_TEMPLATES = {BinanceMessageDecoder.SPOT_BOOK_TICKER_TEMPLATE,
        BinanceMessageDecoder.SPOT_TRADE_BUYER_MAKER_TEMPLATE, BinanceMessageDecoder.SPOT_TRADE_SELLER_MAKER_TEMPLATE};

    /** One decoder for all frames, as a feed has: the template matched last is tried first. */
    private final BinanceMessageDecoder decoder = new BinanceMessageDecoder((buffer, offset, length) -> BinanceSymbolExponents.of(-8, -8));
    private final BinanceMessageDecoder general = new BinanceMessageDecoder((buffer, offset, length) -> BinanceSymbolExponents.of(-8, -8));

    @Test
    void shouldReadEveryRecordedBookTickerAndTradeOnATemplateAsTheGeneralPathReadsIt()
    {
        final Capture capture = BinanceCaptures.load(BinanceCaptures.SPOT_ETHUSDT);
        int tickers = 0;
        int trades = 0;
        for (int i = 0; i < capture.size(); i++)
        {
            if (capture.kind(i) != CaptureRecordKind.WS)
            {
                continue;
            }
            final String frame = capture.payloadAsString(i);
            final String read = read(decoder, frame);
            assertEquals(read(general, generalPathOf(frame)), read, frame);
            if (read.startsWith("BOOK_TICKER"))
            {
                tickers++;
                assertTrue(matches(BinanceMessageDecoder.SPOT_BOOK_TICKER_TEMPLATE, frame), frame);
            }
            else if (read.startsWith("TRADE"))
            {
                trades++;
                assertTrue(matches(BinanceMessageDecoder.SPOT_TRADE_BUYER_MAKER_TEMPLATE, frame)
                    || matches(BinanceMessageDecoder.SPOT_TRADE_SELLER_MAKER_TEMPLATE, frame), frame);
            }
        }
        assertEquals(58_758, tickers);
        assertEquals(14_515, trades);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ticker as recorded             | ticker | \"u\"                    | \"u\"                     | BOOK_TICKER",
        "ticker, a reordered key        | ticker | \"b\":\"2683.80000000\",\"B\":\"3.02920000\" | \"B\":\"3.02920000\",\"b\":\"2683.80000000\" | BOOK_TICKER",
        "ticker, another stream         | ticker | ethusdt@bookTicker       | btcusdt@bookTicker@x      | BOOK_TICKER",
        "ticker, longer decimals        | ticker | 31.43950000              | 131.43950000              | BOOK_TICKER",
        "ticker, a missing field        | ticker | ,\"A\":\"31.43950000\"   | ''                        | UNKNOWN_MESSAGE",
        "ticker, non-digits in u        | ticker | \"u\":35346513501        | \"u\":3534651350x         | JsonFormatException",
        "ticker, u a string             | ticker | \"u\":35346513501        | \"u\":\"35346513501\"     | WRONG_TYPE",
        "ticker, non-digits in a price  | ticker | 2683.80000000            | 2683.8000000x             | DecimalFormatException",
        "ticker, too precise            | ticker | 3.02920000               | 3.029200001               | DecimalFormatException",
        "ticker, negative               | ticker | \"A\":\"31               | \"A\":\"-31               | BAD_LEVEL",
        "ticker, an escape              | ticker | \"ETHUSDT\"              | \"ETH\\u0055SDT\"         | BOOK_TICKER",
        "ticker, a space in the symbol  | ticker | \"ETHUSDT\"              | \"ETH USD\"              | BOOK_TICKER",
        "ticker, a bang in the stream   | ticker | ethusdt@bookTicker       | ethusdt!bookTicker        | BOOK_TICKER",
        "ticker, a space in a price     | ticker | 2683.80000000            | '2683.8000 000'           | DecimalFormatException",
        "ticker, trailing data          | ticker | }}                       | }}x                       | JsonFormatException",
        "ticker, unclosed               | ticker | }}                       | }                         | JsonFormatException",
        "ticker, whitespace at the end  | ticker | }}                       | } }                       | BOOK_TICKER",
        "trade as recorded              | trade  | \"m\":true               | \"m\":true                | TRADE",
        "trade, the seller the maker    | trade  | \"m\":true               | \"m\":false               | TRADE",
        "trade, M false                 | trade  | \"M\":true               | \"M\":false               | TRADE",
        "trade, a reordered key         | trade  | \"p\":\"2683.80000000\",\"q\":\"0.00200000\" | \"q\":\"0.00200000\",\"p\":\"2683.80000000\" | TRADE",
        "trade, a missing id            | trade  | \"t\":1520538925,        | ''                        | MISSING_FIELD",
        "trade, m a number              | trade  | \"m\":true               | \"m\":1                   | WRONG_TYPE",
        "trade, another event type      | trade  | \"e\":\"trade\"          | \"e\":\"trada\"           | UNKNOWN_MESSAGE",
        "trade, non-digits in T         | trade  | 1723161255611            | 17231612556x1             | JsonFormatException",
        "trade, a 16-digit id           | trade  | 1520538925               | 1234567890123456          | TRADE",
        "trade, non-digits in q         | trade  | 0.00200000               | 0.0020000x                | DecimalFormatException",
        "trade, a space in the stream   | trade  | ethusdt@trade            | ethusdt trade             | TRADE",
        "ticker, a second dot in b      | ticker | 2683.80000000            | 2683.800.0000             | DecimalFormatException",
        "ticker, a sign in B            | ticker | 3.02920000               | -3.0292000                | BAD_LEVEL",
        "ticker, a plus in B            | ticker | 3.02920000               | +3.0292000                | DecimalFormatException",
        "ticker, an exponent in a       | ticker | 2683.81000000            | 2.6838100e+03             | BOOK_TICKER",
        "ticker, a quote in a           | ticker | 2683.81000000            | 2683.8\"000000            | JsonFormatException",
        "ticker, a backslash in A       | ticker | 31.43950000              | 31.4\\950000              | JsonFormatException",
        "ticker, an escaped quote in A  | ticker | 31.43950000              | 31.4\\\"50000             | DecimalFormatException",
        "ticker, a control byte in b    | ticker | 2683.80000000            | 2683.8\u0001000000          | JsonFormatException",
        "ticker, b empty                | ticker | 2683.80000000            | ''                        | DecimalFormatException",
        "ticker, A too long             | ticker | 31.43950000              | 1234567890.12345678       | BOOK_TICKER",
        "ticker, A too long, too precise| ticker | 31.43950000              | 1234567.123456789         | DecimalFormatException",
        "ticker, non-ASCII in B         | ticker | 3.02920000               | 3.0292\u00e900             | DecimalFormatException",
        "ticker, nine fraction digits   | ticker | 2683.80000000            | 268.380000000             | BOOK_TICKER",
        "trade, a second dot in p       | trade  | 2683.80000000            | 2683.8.000000             | DecimalFormatException",
        "trade, a sign in q             | trade  | 0.00200000               | -0.0020000                | BAD_LEVEL",
        "trade, an exponent in p        | trade  | 2683.80000000            | 26838.000E-01             | TRADE",
        "trade, a quote in q            | trade  | 0.00200000               | 0.002\"0000               | JsonFormatException",
        "trade, q empty                 | trade  | 0.00200000               | ''                        | DecimalFormatException",
        "trade, q too long              | trade  | 0.00200000               | 000000000.00200000        | TRADE",
        "trade, non-ASCII in p          | trade  | 2683.80000000            | 2683.8\u00e900000          | DecimalFormatException"})
    void shouldReadOrFailAMutatedFrameExactlyAsTheGeneralPath(
        final String what, final String message, final String from, final String to, final String expected)
    {
        final String frame = (message.equals("ticker") ? TICKER : TRADE).replace(from, to);
        assertTrue(from.equals(to) || !frame.equals(message.equals("ticker") ? TICKER : TRADE), what);
        final String generalRead = read(general, generalPathOf(frame));
        assertTrue(generalRead.startsWith(expected), what + ": " + generalRead);
        read(decoder, message.equals("ticker") ? TRADE : TICKER);
        assertEquals(generalRead, read(decoder, frame), what + ", after the other template matched");
        assertEquals(generalRead, read(decoder, frame), what + ", after the same frame");
    }

    /**
     * The decimals read on the template at the symbol's exponents are not taken at others, nor read
     * when the symbol's exponents are unknown: {@code parseDecimals} reads them as the general path does.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {"-2 | -5", "-8 | -4", "-9 | -8", "-8 | -8", "0 | 0"})
    void shouldReadTheDecimalsAtTheExponentsAskedForWhateverTheSymbolsWere(final int priceExponent, final int sizeExponent)
    {
        final BinanceMessageDecoder unknown = new BinanceMessageDecoder((buffer, offset, length) -> BinanceSymbolExponents.UNKNOWN);
        for (final String frame : new String[]{TICKER, TRADE, TICKER.replace("31.43950000", "31.4395"), TRADE.replace("0.00200000", "0.01000000")})
        {
            final String generalRead = read(general, generalPathOf(frame), priceExponent, sizeExponent);
            for (int round = 0; round < 2; round++)
            {
                assertEquals(generalRead, read(decoder, frame, priceExponent, sizeExponent), frame);
                assertEquals(generalRead, read(unknown, frame, priceExponent, sizeExponent), frame);
            }
        }
    }

    @Test
    void shouldFailEveryStrictPrefixOfATickerAndATradeAsTruncated()
    {
        for (final String whole : new String[]{TICKER, TRADE})
        {
            read(decoder, whole);
            for (int length = 0; length < whole.length(); length++)
            {
                final String truncated = whole.substring(0, length);
                assertEquals("JsonFormatException UNEXPECTED_END", read(decoder, truncated), truncated);
                for (final String template : WHOLE_TEMPLATES)
                {
                    assertFalse(matches(template, truncated), truncated);
                }
            }
        }
    }

    /** The same JSON, which no template matches (the fast paths all start with <code>{"stream"</code>). */
    private static String generalPathOf(final String frame)
    {
        return frame.isEmpty() ? frame : "{ " + frame.substring(1);
    }

    /** @return what the decoder reads from the frame (the fields of its type), or the typed failure. */
    private static String read(final BinanceMessageDecoder decoder, final String frame)
    {
        return read(decoder, frame, -8, -8);
    }

    /** @return as {@link #read(BinanceMessageDecoder, String)}, the decimals at the given exponents. */
    private static String read(final BinanceMessageDecoder decoder, final String frame, final int priceExponent, final int sizeExponent)
    {
        final byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        try
        {
            final BinanceMessageType type = decoder.decodeFrame(buffer, 0, bytes.length);
            decoder.parseDecimals(priceExponent, sizeExponent);
            final BinanceMessage m = decoder.message();
            final String symbol = buffer.getStringWithoutLengthAscii(m.symbolOffset(), m.symbolLength());
            return switch (type)
            {
                case BOOK_TICKER -> type + " " + symbol + " u=" + m.finalUpdateId() + " " + m.bidPrice() + " x " + m.bidQuantity() + " / "
                    + m.askPrice() + " x " + m.askQuantity();
                case TRADE -> type + " " + symbol + " t=" + m.tradeId() + " " + m.tradePrice() + " x " + m.tradeQuantity() + " E=" + m.eventTimeMs()
                    + " T=" + m.transactionTimeMs() + " maker=" + (m.buyerIsMaker() ? "buyer" : "seller");
                default -> type.toString();
            };
        }
        catch (final BinanceMessageException ex)
        {
            return ex.reason().toString();
        }
        catch (final JsonFormatException ex)
        {
            return "JsonFormatException " + ex.reason();
        }
        catch (final DecimalFormatException ex)
        {
            return "DecimalFormatException";
        }
    }

    private static boolean matches(final String template, final String frame)
    {
        final byte[] bytes = frame.getBytes(StandardCharsets.US_ASCII);
        return new JsonPrefix(template).match(new JsonCursor().wrap(new UnsafeBuffer(bytes), 0, bytes.length));
    }
}
