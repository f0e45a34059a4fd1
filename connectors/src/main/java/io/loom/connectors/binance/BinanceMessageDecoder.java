package io.loom.connectors.binance;

import io.loom.runtime.codec.AsciiDecimal;
import io.loom.runtime.codec.DecimalFormatException;
import io.loom.runtime.codec.DecimalPairs;
import io.loom.runtime.codec.JsonCursor;
import io.loom.runtime.codec.JsonFormatException;
import io.loom.runtime.codec.JsonPrefix;
import io.loom.runtime.codec.JsonToken;
import org.agrona.DirectBuffer;

/**
 * Decodes Binance market-data JSON straight from the frame buffer into a pre-allocated
 * {@link BinanceMessage}, in one strict pass over the message (JsonCursor) when it can: the
 * symbol, which fixes the decimal exponents, comes before the levels in every message Binance
 * sends, so the decoder asks {@link BinanceSymbolExponents} for them when it reads {@code s}, and
 * reads each level's price and quantity straight to their exact mantissas
 * ({@link DecimalPairs}, the general path for other shapes). Field order is not guaranteed, so:
 *
 * <pre>
 *   decodeFrame(b, o, l)    type, ids, times, symbol; the levels' mantissas if the exponents were
 *                           known when they came, else only their shape is checked ("deferred")
 *   parseDecimals(pe, se)   a ticker's or trade's decimals; a depthUpdate's levels only if they
 *                           were deferred or read at other exponents: then the frame is decoded
 *                           again at (pe, se), a second pass that live Binance frames never need
 *   decodeSnapshot(b, o, l, pe, se)   a REST snapshot, one pass (the URL named the symbol)
 * </pre>
 *
 * <p>Frames are combined-stream ({@code {"stream":"ethusdt@depth@100ms","data":{...}}}, in either
 * field order) or raw events. A combined-stream frame written exactly as Binance writes it (the
 * field order of the templates below, no whitespace) is matched a word at a time
 * ({@link JsonPrefix}): a depthUpdate (spot's or USD-M's) up to its bids, a spot bookTicker or
 * trade whole; all are tried at their last layout (the one matched last first) before any piece
 * by piece; a bookTicker's or trade's decimals are read there too, at the symbol's exponents, when
 * they are digits and one dot (else checked as strings and left to {@code parseDecimals}). Every
 * other frame, and the rest of a depthUpdate, is read token by token. Understood: {@code depthUpdate} (e E T s U u pu b a), {@code bookTicker}
 * (u s b B a A; spot's has no {@code e}), {@code trade} (t p q m T), {@code aggTrade} (a p q m T);
 * unknown fields are skipped. Ignored by design ({@link BinanceMessageType#IGNORED}): {@code kline}
 * and subscription replies ({@code {"result":null,"id":1}}). Anything else is rejected. A message is
 * validated to its very end before anything is returned, so a truncated frame never yields a
 * partial message.
 *
 * <p>Failures are exceptions without stack traces, allocated only on the error path:
 * {@link JsonFormatException} (not JSON, truncated), {@link BinanceMessageException} (JSON, but
 * not a message we understand), {@link DecimalFormatException} (a decimal that is malformed or
 * more precise than the exponent allows: never rounded). Where the levels are read in the first
 * pass, a bad level decimal throws from {@code decodeFrame} (before the rest of the message is
 * read), otherwise from {@code parseDecimals}: callers treat both steps as one.
 *
 * <p>One concept, one file, over 900 lines on purpose: the template fast path and the token path
 * fill the same private fields and {@code seen} flags and end in the same classification and
 * checks; kept side by side they can be read against each other (and
 * {@code BinanceWholeMessageTemplateTest} compares them on every recorded frame).
 *
 * <p>Thread-safety: not thread-safe; one per feed. Allocates nothing in steady state (see
 * {@link BinanceMessage} for level growth).
 */
public final class BinanceMessageDecoder
{
    private static final byte[] DEPTH_UPDATE = ascii("depthUpdate");
    private static final byte[] BOOK_TICKER = ascii("bookTicker");
    private static final byte[] TRADE = ascii("trade");
    private static final byte[] AGG_TRADE = ascii("aggTrade");
    private static final byte[] KLINE = ascii("kline");
    private static final byte[] PU = ascii("pu");
    private static final byte[] STREAM = ascii("stream");
    private static final byte[] DATA = ascii("data");
    private static final byte[] RESULT = ascii("result");
    private static final byte[] ID = ascii("id");
    private static final byte[] CODE = ascii("code");
    private static final byte[] LAST_UPDATE_ID = ascii("lastUpdateId");
    private static final byte[] BIDS = ascii("bids");
    private static final byte[] ASKS = ascii("asks");

    private static final int EVENT_TYPE = 1;
    private static final int SYMBOL = 1 << 1;
    private static final int FIRST_ID = 1 << 2;
    private static final int FINAL_ID = 1 << 3;
    private static final int BID_LEVELS = 1 << 4;
    private static final int ASK_LEVELS = 1 << 5;
    private static final int BID_PRICE = 1 << 6;
    private static final int BID_QUANTITY = 1 << 7;
    private static final int ASK_PRICE = 1 << 8;
    private static final int ASK_QUANTITY = 1 << 9;
    private static final int TRADE_ID = 1 << 10;
    private static final int AGG_TRADE_ID = 1 << 11;
    private static final int PRICE = 1 << 12;
    private static final int QUANTITY = 1 << 13;
    private static final int MAKER = 1 << 14;
    private static final int RESULT_FIELD = 1 << 15;
    private static final int ID_FIELD = 1 << 16;
    private static final int CODE_FIELD = 1 << 17;
    private static final int LAST_UPDATE_ID_FIELD = 1 << 18;
    private static final int DATA_FIELD = 1 << 19;

    private static final int DEPTH_FIELDS = SYMBOL | FIRST_ID | FINAL_ID | BID_LEVELS | ASK_LEVELS;
    private static final int TICKER_FIELDS = SYMBOL | FINAL_ID | BID_PRICE | BID_QUANTITY | ASK_PRICE | ASK_QUANTITY;
    private static final int TRADE_FIELDS = SYMBOL | TRADE_ID | PRICE | QUANTITY | MAKER;
    private static final int AGG_TRADE_FIELDS = SYMBOL | AGG_TRADE_ID | PRICE | QUANTITY | MAKER;
    private static final int SNAPSHOT_FIELDS = LAST_UPDATE_ID_FIELD | BID_LEVELS | ASK_LEVELS;

    /** A spot depthUpdate on a combined stream, as Binance writes it: holes stream, e, E, s, U, u. */
    static final String SPOT_DEPTH_TEMPLATE = "{\"stream\":\"%s\",\"data\":{\"e\":\"%s\",\"E\":%d,\"s\":\"%s\",\"U\":%d,\"u\":%d,\"b\":[";
    /** A USD-M depthUpdate on a combined stream: holes stream, e, E, T, s, U, u, pu. */
    static final String FUTURES_DEPTH_TEMPLATE =
        "{\"stream\":\"%s\",\"data\":{\"e\":\"%s\",\"E\":%d,\"T\":%d,\"s\":\"%s\",\"U\":%d,\"u\":%d,\"pu\":%d,\"b\":[";
    /** A whole spot bookTicker on a combined stream: holes stream, u, s, b, B, a, A (decimals: {@link #templateDecimal}). */
    static final String SPOT_BOOK_TICKER_TEMPLATE =
        "{\"stream\":\"%s\",\"data\":{\"u\":%d,\"s\":\"%s\",\"b\":\"%v\",\"B\":\"%v\",\"a\":\"%v\",\"A\":\"%v\"}}";
    /** A whole spot trade on a combined stream, the buyer the maker: holes stream, e, E, s, t, p, q (both {@code %v}), T. */
    static final String SPOT_TRADE_BUYER_MAKER_TEMPLATE =
        "{\"stream\":\"%s\",\"data\":{\"e\":\"%s\",\"E\":%d,\"s\":\"%s\",\"t\":%d,\"p\":\"%v\",\"q\":\"%v\",\"T\":%d,\"m\":true,\"M\":true}}";
    /** The same, the seller the maker. */
    static final String SPOT_TRADE_SELLER_MAKER_TEMPLATE = SPOT_TRADE_BUYER_MAKER_TEMPLATE.replace("\"m\":true", "\"m\":false");

    /** Indexes into {@link #templates}. */
    private static final int SPOT_DEPTH = 0;
    private static final int FUTURES_DEPTH = 1;
    private static final int SPOT_BOOK_TICKER = 2;
    private static final int SPOT_TRADE_BUYER_MAKER = 3;

    private final JsonCursor cursor = new JsonCursor();
    private final JsonPrefix[] templates = {
        new JsonPrefix(SPOT_DEPTH_TEMPLATE), new JsonPrefix(FUTURES_DEPTH_TEMPLATE), new JsonPrefix(SPOT_BOOK_TICKER_TEMPLATE),
        new JsonPrefix(SPOT_TRADE_BUYER_MAKER_TEMPLATE), new JsonPrefix(SPOT_TRADE_SELLER_MAKER_TEMPLATE)};
    /** The template matched last: tried first (a stream sends mostly one kind of message at a time). */
    private int lastTemplate;
    private final BinanceMessage message = new BinanceMessage();
    private final BinanceSymbolExponents symbolExponents;
    private DirectBuffer buffer;
    private int messageOffset;
    private int messageLength;
    private int seen;
    /** The exponents the levels are read at, once known (from the symbol, or given). */
    private boolean exponentsKnown;
    private int priceExponent;
    private int sizeExponent;
    /** Level arrays came before the exponents were known: only their shape was checked. */
    private boolean levelsDeferred;
    /** A ticker's or trade's decimals were all read on its template, at {@link #priceExponent} and {@link #sizeExponent}. */
    private boolean decimalsRead;
    /** False once a {@code %v} hole of the template just matched is found not to be a string's content. */
    private boolean holesAreStrings;
    private int eventTypeOffset;
    private int eventTypeLength;
    private int bidPriceOffset;
    private int bidPriceLength;
    private int bidQuantityOffset;
    private int bidQuantityLength;
    private int askPriceOffset;
    private int askPriceLength;
    private int askQuantityOffset;
    private int askQuantityLength;
    private int priceOffset;
    private int priceLength;
    private int quantityOffset;
    private int quantityLength;

    /**
     * @param symbolExponents asked for a message's exponents when its symbol is read.
     */
    public BinanceMessageDecoder(final BinanceSymbolExponents symbolExponents)
    {
        this.symbolExponents = symbolExponents;
    }

    /** @return the message the last decode filled (the same object every time). */
    public BinanceMessage message()
    {
        return message;
    }

    /**
     * Decodes one WebSocket text frame (first step: everything but a ticker's or trade's decimals,
     * and the levels too when their symbol's exponents were known before them).
     *
     * @param buffer holds the frame; must stay unchanged until {@link #parseDecimals} is done.
     * @param offset where the frame starts.
     * @param length its length.
     * @return the message's type.
     * @throws JsonFormatException      if the frame is not one complete JSON value.
     * @throws BinanceMessageException  if it is JSON but not a message this decoder understands,
     *                                  or a level read here is negative.
     * @throws DecimalFormatException   if an update id or time is not an integer, or a level read
     *                                  here is malformed, too precise or out of range.
     */
    public BinanceMessageType decodeFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        start(buffer, offset, length);
        if (!readTemplate())
        {
            beginObject();
            readFields(true);
        }
        expectEnd();
        final BinanceMessageType type = classifyFrame();
        message.type = type;
        return type;
    }

    /**
     * Decodes a REST depth snapshot body ({@code {"lastUpdateId":L,"bids":[[p,q],...],"asks":[...]}},
     * futures also {@code E} and {@code T}) completely, in one pass: the body names no symbol, the
     * request's URL did, so the exponents are given.
     *
     * @param buffer        holds the body.
     * @param offset        where it starts.
     * @param length        its length.
     * @param priceExponent the instrument's price exponent.
     * @param sizeExponent  the instrument's size exponent.
     * @return {@link BinanceMessageType#DEPTH_SNAPSHOT}.
     * @throws JsonFormatException      if the body is not one complete JSON value.
     * @throws BinanceMessageException  if it is an error reply, lacks a required field or has a
     *                                  negative price or quantity.
     * @throws DecimalFormatException   if lastUpdateId is not an integer, or a level is malformed,
     *                                  too precise or out of range.
     */
    public BinanceMessageType decodeSnapshot(
        final DirectBuffer buffer, final int offset, final int length, final int priceExponent, final int sizeExponent)
    {
        begin(buffer, offset, length);
        exponents(priceExponent, sizeExponent);
        readFields(false);
        expectEnd();
        if ((seen & CODE_FIELD) != 0)
        {
            throw new BinanceMessageException(BinanceMessageException.Reason.ERROR_REPLY, text(offset, length));
        }
        require(SNAPSHOT_FIELDS, "depth snapshot");
        message.type = BinanceMessageType.DEPTH_SNAPSHOT;
        return BinanceMessageType.DEPTH_SNAPSHOT;
    }

    /**
     * Second step: the decoded message's decimals as exact mantissas at the instrument's exponents.
     * A depthUpdate's levels read in the first pass at these exponents are left as they are;
     * deferred ones, or ones read at other exponents, are read by decoding the frame again. Call
     * in the same call as the decode, while its buffer is unchanged.
     *
     * @param priceExponent the instrument's price exponent.
     * @param sizeExponent  the instrument's size exponent.
     * @throws DecimalFormatException  if a decimal is malformed, too precise or out of range.
     * @throws BinanceMessageException if a price or quantity is negative.
     */
    public void parseDecimals(final int priceExponent, final int sizeExponent)
    {
        final BinanceMessage m = message;
        if (decimalsRead && priceExponent == this.priceExponent && sizeExponent == this.sizeExponent)
        {
            return; // a ticker's or trade's, read on its template at these exponents
        }
        switch (m.type)
        {
            case DEPTH_UPDATE, DEPTH_SNAPSHOT ->
            {
                if (levelsDeferred || !exponentsKnown || priceExponent != this.priceExponent || sizeExponent != this.sizeExponent)
                {
                    decodeAgainAt(priceExponent, sizeExponent);
                }
            }
            case BOOK_TICKER ->
            {
                m.bidPrice = nonNegative(AsciiDecimal.parse(buffer, bidPriceOffset, bidPriceLength, priceExponent));
                m.bidQuantity = nonNegative(AsciiDecimal.parse(buffer, bidQuantityOffset, bidQuantityLength, sizeExponent));
                m.askPrice = nonNegative(AsciiDecimal.parse(buffer, askPriceOffset, askPriceLength, priceExponent));
                m.askQuantity = nonNegative(AsciiDecimal.parse(buffer, askQuantityOffset, askQuantityLength, sizeExponent));
            }
            case TRADE, AGG_TRADE ->
            {
                m.tradePrice = nonNegative(AsciiDecimal.parse(buffer, priceOffset, priceLength, priceExponent));
                m.tradeQuantity = nonNegative(AsciiDecimal.parse(buffer, quantityOffset, quantityLength, sizeExponent));
            }
            case IGNORED ->
            {
            }
        }
    }

    /** The second pass: the whole message again, its levels read at the given exponents. */
    private void decodeAgainAt(final int priceExponent, final int sizeExponent)
    {
        final BinanceMessageType type = message.type;
        begin(buffer, messageOffset, messageLength);
        exponents(priceExponent, sizeExponent);
        readFields(type != BinanceMessageType.DEPTH_SNAPSHOT);
        expectEnd();
        message.type = type;
    }

    private void exponents(final int priceExponent, final int sizeExponent)
    {
        this.priceExponent = priceExponent;
        this.sizeExponent = sizeExponent;
        exponentsKnown = true;
    }

    private void begin(final DirectBuffer buffer, final int offset, final int length)
    {
        start(buffer, offset, length);
        beginObject();
    }

    private void start(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        messageOffset = offset;
        messageLength = length;
        cursor.wrap(buffer, offset, length);
        message.reset();
        seen = 0;
        exponentsKnown = false;
        levelsDeferred = false;
        decimalsRead = false;
    }

    private void beginObject()
    {
        if (cursor.next() != JsonToken.BEGIN_OBJECT)
        {
            throw new BinanceMessageException(BinanceMessageException.Reason.UNKNOWN_MESSAGE, "not a JSON object");
        }
    }

    /**
     * The fast path: if the frame is written exactly as one of the {@link #templates}, takes its
     * fields from the template's holes, as {@link #readField} would take them token by token. The
     * templates are first tried at their last match's layout ({@link JsonPrefix#matchAtLayout}; the
     * one matched last first), where a frame of another type fails within a few words, and only then
     * piece by piece ({@link JsonPrefix#matchPieceByPiece}, the one matched last first): when the
     * stream switches between bookTickers, trades and depthUpdates, the frame's own template is found
     * without matching the others piece by piece. A depthUpdate's template ends at its bids: they are read,
     * then the asks if they follow as Binance writes them ({@link JsonCursor#nextArrayField}), and
     * the rest of both objects the general way, through the top-level END_OBJECT; a bookTicker's or
     * trade's template is the whole message. Any other frame: returns false, nothing read.
     */
    private boolean readTemplate()
    {
        final int t = matchingTemplate();
        if (t < 0)
        {
            return false;
        }
        lastTemplate = t;
        if (!templateFields(t, templates[t]))
        {
            start(buffer, messageOffset, messageLength);
            return false;
        }
        return true;
    }

    /** @return the index of the template the frame matches (its holes read, the cursor after it), or -1. */
    private int matchingTemplate()
    {
        final JsonPrefix[] templates = this.templates;
        final int last = lastTemplate;
        if (templates[last].matchAtLayout(cursor))
        {
            return last;
        }
        for (int t = 0; t < templates.length; t++)
        {
            if (t != last && templates[t].matchAtLayout(cursor))
            {
                return t;
            }
        }
        for (int t = -1; t < templates.length; t++)
        {
            final int tried = t < 0 ? last : t;
            if ((t < 0 || t != last) && templates[tried].matchPieceByPiece(cursor))
            {
                return tried;
            }
        }
        return -1;
    }

    /** @return false if a {@code %v} hole is not a string's content: the match is not taken (the caller starts again). */
    private boolean templateFields(final int t, final JsonPrefix template)
    {
        switch (t)
        {
            case SPOT_DEPTH -> depthTemplateFields(template, 1, 2, 3, 4, 5);
            case FUTURES_DEPTH ->
            {
                depthTemplateFields(template, 1, 2, 4, 5, 6);
                message.transactionTimeMs = template.value(3);
                message.previousFinalUpdateId = template.value(7);
                message.hasPreviousFinalUpdateId = true;
            }
            case SPOT_BOOK_TICKER ->
            {
                seen |= DATA_FIELD | FINAL_ID | BID_PRICE | BID_QUANTITY | ASK_PRICE | ASK_QUANTITY;
                message.finalUpdateId = template.value(1);
                symbol(template.offset(2), template.length(2));
                bidPriceOffset = template.offset(3);
                bidPriceLength = template.length(3);
                bidQuantityOffset = template.offset(4);
                bidQuantityLength = template.length(4);
                askPriceOffset = template.offset(5);
                askPriceLength = template.length(5);
                askQuantityOffset = template.offset(6);
                askQuantityLength = template.length(6);
                final BinanceMessage m = message;
                decimalsRead = exponentsKnown;
                holesAreStrings = true;
                m.bidPrice = templateDecimal(template, 3, priceExponent);
                m.bidQuantity = templateDecimal(template, 4, sizeExponent);
                m.askPrice = templateDecimal(template, 5, priceExponent);
                m.askQuantity = templateDecimal(template, 6, sizeExponent);
                return holesAreStrings;
            }
            default ->
            {
                seen |= DATA_FIELD | EVENT_TYPE | TRADE_ID | PRICE | QUANTITY | MAKER;
                eventTypeOffset = template.offset(1);
                eventTypeLength = template.length(1);
                message.eventTimeMs = template.value(2);
                symbol(template.offset(3), template.length(3));
                message.tradeId = template.value(4);
                priceOffset = template.offset(5);
                priceLength = template.length(5);
                quantityOffset = template.offset(6);
                quantityLength = template.length(6);
                message.transactionTimeMs = template.value(7);
                message.buyerIsMaker = t == SPOT_TRADE_BUYER_MAKER;
                decimalsRead = exponentsKnown;
                holesAreStrings = true;
                message.tradePrice = templateDecimal(template, 5, priceExponent);
                message.tradeQuantity = templateDecimal(template, 6, sizeExponent);
                return holesAreStrings;
            }
        }
        levelsAfterOpen(false, BID_LEVELS);
        if (cursor.nextArrayField((byte)'a'))
        {
            levelsAfterOpen(true, ASK_LEVELS);
        }
        readFields(false);
        readFields(true);
        return true;
    }

    /**
     * A {@code %v} hole (unchecked at the layout): read at the symbol's exponent if it is digits and one
     * dot, which proves it a string's content; else left to {@link #parseDecimals} ({@link #decimalsRead}
     * cleared) and checked as a string's content ({@link #holesAreStrings} cleared if it is not one).
     *
     * @return the mantissa, or {@link AsciiDecimal#NOT_EIGHT_FRACTION_DIGITS} if not read here.
     */
    private long templateDecimal(final JsonPrefix template, final int hole, final int exponent)
    {
        if (exponentsKnown)
        {
            final long value = AsciiDecimal.parseEightFractionDigits(buffer, template.offset(hole), template.length(hole), exponent);
            if (value != AsciiDecimal.NOT_EIGHT_FRACTION_DIGITS)
            {
                return value;
            }
        }
        decimalsRead = false;
        holesAreStrings &= template.isStringContent(hole);
        return AsciiDecimal.NOT_EIGHT_FRACTION_DIGITS;
    }

    private void depthTemplateFields(final JsonPrefix template, final int eventType, final int eventTime, final int symbol, final int firstId, final int finalId)
    {
        seen |= DATA_FIELD | EVENT_TYPE | FIRST_ID | FINAL_ID;
        eventTypeOffset = template.offset(eventType);
        eventTypeLength = template.length(eventType);
        message.eventTimeMs = template.value(eventTime);
        symbol(template.offset(symbol), template.length(symbol));
        message.firstUpdateId = template.value(firstId);
        message.finalUpdateId = template.value(finalId);
    }

    /** The symbol {@code s}: kept, and the exponents asked for if they are not known yet. */
    private void symbol(final int offset, final int length)
    {
        message.symbolOffset = offset;
        message.symbolLength = length;
        seen |= SYMBOL;
        if (!exponentsKnown)
        {
            final long exponents = symbolExponents.exponentsOf(buffer, offset, length);
            if (exponents != BinanceSymbolExponents.UNKNOWN)
            {
                exponents(BinanceSymbolExponents.priceExponent(exponents), BinanceSymbolExponents.sizeExponent(exponents));
            }
        }
    }

    /** After the top-level object: END_OF_INPUT, or the cursor throws (trailing data). */
    private void expectEnd()
    {
        cursor.next();
    }

    /** Reads the fields of the object just opened, through its END_OBJECT. */
    private void readFields(final boolean topLevel)
    {
        JsonToken token = cursor.next();
        while (token != JsonToken.END_OBJECT)
        {
            readField(topLevel);
            token = cursor.next();
        }
    }

    private void readField(final boolean topLevel)
    {
        final JsonCursor c = cursor;
        final int nameLength = c.tokenLength();
        if (nameLength == 1)
        {
            readShortField(buffer.getByte(c.tokenOffset()));
        }
        else if (c.tokenEquals(PU))
        {
            message.previousFinalUpdateId = integer("pu");
            message.hasPreviousFinalUpdateId = true;
        }
        else if (c.tokenEquals(LAST_UPDATE_ID))
        {
            message.finalUpdateId = integer("lastUpdateId");
            seen |= LAST_UPDATE_ID_FIELD;
        }
        else if (c.tokenEquals(BIDS))
        {
            levels(false, BID_LEVELS, "bids");
        }
        else if (c.tokenEquals(ASKS))
        {
            levels(true, ASK_LEVELS, "asks");
        }
        else if (topLevel && c.tokenEquals(DATA))
        {
            if (c.next() != JsonToken.BEGIN_OBJECT)
            {
                throw wrongType("data");
            }
            seen |= DATA_FIELD;
            readFields(false);
        }
        else if (topLevel && c.tokenEquals(STREAM))
        {
            c.skipValue();
        }
        else if (topLevel && c.tokenEquals(RESULT))
        {
            seen |= RESULT_FIELD;
            c.skipValue();
        }
        else if (topLevel && c.tokenEquals(ID))
        {
            seen |= ID_FIELD;
            c.skipValue();
        }
        else if (c.tokenEquals(CODE))
        {
            seen |= CODE_FIELD;
            c.skipValue();
        }
        else
        {
            c.skipValue();
        }
    }

    private void readShortField(final byte name)
    {
        final JsonCursor c = cursor;
        switch (name)
        {
            case 'e' ->
            {
                string("e");
                eventTypeOffset = c.tokenOffset();
                eventTypeLength = c.tokenLength();
                seen |= EVENT_TYPE;
            }
            case 'E' -> message.eventTimeMs = integer("E");
            case 'T' -> message.transactionTimeMs = integer("T");
            case 's' ->
            {
                string("s");
                symbol(c.tokenOffset(), c.tokenLength());
            }
            case 'U' ->
            {
                message.firstUpdateId = integer("U");
                seen |= FIRST_ID;
            }
            case 'u' ->
            {
                message.finalUpdateId = integer("u");
                seen |= FINAL_ID;
            }
            case 't' ->
            {
                message.tradeId = integer("t");
                seen |= TRADE_ID;
            }
            case 'b' -> bidField();
            case 'a' -> askField();
            case 'B' ->
            {
                string("B");
                bidQuantityOffset = c.tokenOffset();
                bidQuantityLength = c.tokenLength();
                seen |= BID_QUANTITY;
            }
            case 'A' ->
            {
                string("A");
                askQuantityOffset = c.tokenOffset();
                askQuantityLength = c.tokenLength();
                seen |= ASK_QUANTITY;
            }
            case 'p' ->
            {
                string("p");
                priceOffset = c.tokenOffset();
                priceLength = c.tokenLength();
                seen |= PRICE;
            }
            case 'q' ->
            {
                string("q");
                quantityOffset = c.tokenOffset();
                quantityLength = c.tokenLength();
                seen |= QUANTITY;
            }
            case 'm' ->
            {
                final JsonToken value = c.next();
                if (value != JsonToken.TRUE && value != JsonToken.FALSE)
                {
                    throw wrongType("m");
                }
                message.buyerIsMaker = value == JsonToken.TRUE;
                seen |= MAKER;
            }
            default -> c.skipValue();
        }
    }

    /** {@code b}: the bid levels of a diff (array) or a ticker's best bid price (string). */
    private void bidField()
    {
        final JsonToken value = cursor.next();
        if (value == JsonToken.BEGIN_ARRAY)
        {
            levelsAfterOpen(false, BID_LEVELS);
        }
        else if (value == JsonToken.STRING)
        {
            bidPriceOffset = cursor.tokenOffset();
            bidPriceLength = cursor.tokenLength();
            seen |= BID_PRICE;
        }
        else
        {
            throw wrongType("b");
        }
    }

    /** {@code a}: the ask levels of a diff, a ticker's best ask price, or an aggregate trade id. */
    private void askField()
    {
        final JsonToken value = cursor.next();
        if (value == JsonToken.BEGIN_ARRAY)
        {
            levelsAfterOpen(true, ASK_LEVELS);
        }
        else if (value == JsonToken.STRING)
        {
            askPriceOffset = cursor.tokenOffset();
            askPriceLength = cursor.tokenLength();
            seen |= ASK_PRICE;
        }
        else if (value == JsonToken.NUMBER)
        {
            message.tradeId = cursor.tokenAsLong();
            seen |= AGG_TRADE_ID;
        }
        else
        {
            throw wrongType("a");
        }
    }

    private void levels(final boolean ask, final int field, final String name)
    {
        if (cursor.next() != JsonToken.BEGIN_ARRAY)
        {
            throw wrongType(name);
        }
        levelsAfterOpen(ask, field);
    }

    /**
     * Reads {@code [["price","qty"],...]} after its opening bracket, through its closing one: at
     * known exponents straight into the message's levels, else only checking its shape (deferred).
     */
    private void levelsAfterOpen(final boolean ask, final int field)
    {
        if (exponentsKnown)
        {
            readLevels(ask);
        }
        else
        {
            checkLevels();
            levelsDeferred = true;
        }
        seen |= field;
    }

    /**
     * The one pass over a level array: runs of levels in the common shape by {@link DecimalPairs},
     * a compact level near the message's end by {@link JsonCursor#nextCompactStrings}, anything
     * else token by token; each price and quantity written once, as its exact mantissa.
     */
    private void readLevels(final boolean ask)
    {
        final JsonCursor c = cursor;
        final BinanceMessage m = message;
        while (true)
        {
            m.levelsRead(DecimalPairs.read(c, priceExponent, sizeExponent, m.levelPrices, m.levelQuantities, m.levelCount, m.levelCapacity()), ask);
            if (c.nextCompactStrings(2))
            {
                final int level = m.addLevel(ask);
                m.levelPrices[level] = nonNegative(
                    AsciiDecimal.scale(c.compactUnscaledValue(0), c.compactScale(0), priceExponent, buffer, c.compactOffset(0), c.compactLength(0)));
                m.levelQuantities[level] = nonNegative(
                    AsciiDecimal.scale(c.compactUnscaledValue(1), c.compactScale(1), sizeExponent, buffer, c.compactOffset(1), c.compactLength(1)));
                continue;
            }
            final JsonToken token = c.next();
            if (token == JsonToken.END_ARRAY)
            {
                return;
            }
            if (token != JsonToken.BEGIN_ARRAY || c.next() != JsonToken.STRING)
            {
                throw badLevel();
            }
            final int level = m.addLevel(ask);
            m.levelPrices[level] = nonNegative(c.tokenAsDecimal(priceExponent));
            if (c.next() != JsonToken.STRING)
            {
                throw badLevel();
            }
            m.levelQuantities[level] = nonNegative(c.tokenAsDecimal(sizeExponent));
            if (c.next() != JsonToken.END_ARRAY)
            {
                throw badLevel();
            }
        }
    }

    /** A level array met before the exponents: its shape is checked, its decimals are left to {@link #parseDecimals}. */
    private void checkLevels()
    {
        final JsonCursor c = cursor;
        while (true)
        {
            if (c.nextCompactStrings(2))
            {
                continue;
            }
            final JsonToken token = c.next();
            if (token == JsonToken.END_ARRAY)
            {
                return;
            }
            if (token != JsonToken.BEGIN_ARRAY || c.next() != JsonToken.STRING || c.next() != JsonToken.STRING || c.next() != JsonToken.END_ARRAY)
            {
                throw badLevel();
            }
        }
    }

    private BinanceMessageType classifyFrame()
    {
        if ((seen & EVENT_TYPE) != 0)
        {
            if (eventTypeIs(DEPTH_UPDATE))
            {
                require(DEPTH_FIELDS, "depthUpdate");
                if (message.firstUpdateId > message.finalUpdateId)
                {
                    throw new BinanceMessageException(BinanceMessageException.Reason.BAD_UPDATE_IDS,
                        "U " + message.firstUpdateId + " > u " + message.finalUpdateId);
                }
                return BinanceMessageType.DEPTH_UPDATE;
            }
            if (eventTypeIs(BOOK_TICKER))
            {
                require(TICKER_FIELDS, "bookTicker");
                return BinanceMessageType.BOOK_TICKER;
            }
            if (eventTypeIs(TRADE))
            {
                require(TRADE_FIELDS, "trade");
                return BinanceMessageType.TRADE;
            }
            if (eventTypeIs(AGG_TRADE))
            {
                require(AGG_TRADE_FIELDS, "aggTrade");
                return BinanceMessageType.AGG_TRADE;
            }
            if (eventTypeIs(KLINE))
            {
                return BinanceMessageType.IGNORED;
            }
            throw new BinanceMessageException(BinanceMessageException.Reason.UNKNOWN_MESSAGE, "event type " + text(eventTypeOffset, eventTypeLength));
        }
        if ((seen & (RESULT_FIELD | ID_FIELD)) == (RESULT_FIELD | ID_FIELD) && (seen & DATA_FIELD) == 0)
        {
            return BinanceMessageType.IGNORED;
        }
        if ((seen & CODE_FIELD) != 0)
        {
            throw new BinanceMessageException(BinanceMessageException.Reason.ERROR_REPLY, "an error reply");
        }
        if ((seen & TICKER_FIELDS) == TICKER_FIELDS)
        {
            return BinanceMessageType.BOOK_TICKER;
        }
        throw new BinanceMessageException(BinanceMessageException.Reason.UNKNOWN_MESSAGE, "no event type, not a bookTicker or a reply");
    }

    private void require(final int fields, final String what)
    {
        if ((seen & fields) != fields)
        {
            throw new BinanceMessageException(BinanceMessageException.Reason.MISSING_FIELD, what + " lacks " + missingNames(fields & ~seen));
        }
    }

    private boolean eventTypeIs(final byte[] expected)
    {
        if (eventTypeLength != expected.length)
        {
            return false;
        }
        for (int i = 0; i < expected.length; i++)
        {
            if (buffer.getByte(eventTypeOffset + i) != expected[i])
            {
                return false;
            }
        }
        return true;
    }

    private long integer(final String field)
    {
        if (cursor.next() != JsonToken.NUMBER)
        {
            throw wrongType(field);
        }
        return cursor.tokenAsLong();
    }

    private void string(final String field)
    {
        if (cursor.next() != JsonToken.STRING)
        {
            throw wrongType(field);
        }
    }

    private static long nonNegative(final long value)
    {
        if (value < 0)
        {
            throw new BinanceMessageException(BinanceMessageException.Reason.BAD_LEVEL, "negative price or quantity " + value);
        }
        return value;
    }

    private static BinanceMessageException wrongType(final String field)
    {
        return new BinanceMessageException(BinanceMessageException.Reason.WRONG_TYPE, "field " + field);
    }

    private static BinanceMessageException badLevel()
    {
        return new BinanceMessageException(BinanceMessageException.Reason.BAD_LEVEL, "a level is not [\"price\",\"quantity\"]");
    }

    private static String missingNames(final int missing)
    {
        final String[] names = {"e", "s", "U", "u", "b/bids", "a/asks", "b", "B", "a", "A", "t", "a", "p", "q", "m", "result", "id", "code", "lastUpdateId", "data"};
        final StringBuilder text = new StringBuilder();
        for (int bit = 0; bit < names.length; bit++)
        {
            if ((missing & (1 << bit)) != 0)
            {
                text.append(text.isEmpty() ? "" : ", ").append(names[bit]);
            }
        }
        return text.toString();
    }

    private String text(final int offset, final int length)
    {
        return buffer.getStringWithoutLengthAscii(offset, Math.min(length, 200));
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
