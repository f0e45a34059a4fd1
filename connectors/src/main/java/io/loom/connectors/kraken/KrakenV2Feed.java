package io.loom.connectors.kraken;

import io.loom.api.book.OrderBookView;
import io.loom.api.event.Side;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.source.EventPublisher;
import io.loom.connectors.feed.FeedCounter;
import io.loom.connectors.feed.FeedCounters;
import io.loom.connectors.feed.ResyncRequests;
import io.loom.connectors.feed.SymbolIndex;
import io.loom.connectors.feed.VenueFeed;
import io.loom.runtime.codec.DecimalFormatException;
import io.loom.runtime.codec.JsonCursor;
import io.loom.runtime.codec.JsonFormatException;
import io.loom.runtime.codec.JsonToken;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;

/**
 * The Kraken WebSocket API v2 feed ({@code wss://ws.kraken.com/v2}): the {@code book} and
 * {@code trade} channels, as a {@link VenueFeed}.
 *
 * <pre>
 *   {"channel":"book","type":"snapshot"|"update","data":[{"symbol":"BTC/USD",
 *       "bids":[{"price":45283.5,"qty":0.10000000}],"asks":[...],"checksum":3310070434,"timestamp":"..."}]}
 *   {"channel":"trade","type":"snapshot"|"update","data":[{"symbol":..,"side":"buy"|"sell","price":..,
 *       "qty":..,"ord_type":..,"trade_id":N,"timestamp":".."}]}
 *   {"channel":"heartbeat"}, {"channel":"status",...}                  counted / ignored
 *   {"method":"subscribe","result":{"channel":"book","depth":N,"symbol":..},"success":true,...}
 *                                                                      the pair's subscribed depth
 *   {"method":"unsubscribe",...,"success":true}                       the book turns STALE
 *   {"method":..,"success":false,"error":".."}                        counted as an error
 * </pre>
 *
 * Prices and quantities are JSON numbers sent at full precision: each is parsed exactly from its
 * number text (never through {@code double}), and the checksum regenerates that text's digits
 * (see {@link KrakenBookChecksum}); the snapshot carries a checksum too, and both are verified. A
 * book is truncated to its subscribed depth (from the subscription's acknowledgement; Kraken's
 * default 10 until one is seen) after every update. Trades carry their {@code trade_id} as the
 * event sequence. The message is validated whole before anything is applied; unknown fields of a
 * data entry are ignored (v2 adds fields), an unknown channel type or a message without channel
 * or method is an error that resyncs every book.
 *
 * <p>Instruments and discover mode as {@link KrakenV1Feed}.
 *
 * <p>Thread-safety: not thread-safe; one thread drives it. Allocates nothing per frame in steady
 * state, except when a subscription's depth is first recorded.
 */
public final class KrakenV2Feed implements VenueFeed
{
    /** The capture venue id ({@code #venue} line) this feed decodes. */
    public static final String VENUE_ID = "kraken-v2";
    /** Kraken's book depth when a subscription does not name one. */
    public static final int DEFAULT_DEPTH = 10;

    private static final byte[] CHANNEL = ascii("channel");
    private static final byte[] TYPE = ascii("type");
    private static final byte[] DATA = ascii("data");
    private static final byte[] METHOD = ascii("method");
    private static final byte[] SUCCESS = ascii("success");
    private static final byte[] RESULT = ascii("result");
    private static final byte[] ERROR = ascii("error");
    private static final byte[] DEPTH = ascii("depth");
    private static final byte[] SYMBOL = ascii("symbol");
    private static final byte[] BOOK = ascii("book");
    private static final byte[] TRADE = ascii("trade");
    private static final byte[] HEARTBEAT = ascii("heartbeat");
    private static final byte[] STATUS = ascii("status");
    private static final byte[] SNAPSHOT = ascii("snapshot");
    private static final byte[] UPDATE = ascii("update");
    private static final byte[] SUBSCRIBE = ascii("subscribe");
    private static final byte[] UNSUBSCRIBE = ascii("unsubscribe");
    private static final byte[] PONG = ascii("pong");
    private static final byte[] BIDS = ascii("bids");
    private static final byte[] ASKS = ascii("asks");
    private static final byte[] PRICE = ascii("price");
    private static final byte[] QTY = ascii("qty");
    private static final byte[] CHECKSUM = ascii("checksum");
    private static final byte[] TIMESTAMP = ascii("timestamp");
    private static final byte[] SIDE = ascii("side");
    private static final byte[] BUY = ascii("buy");
    private static final byte[] SELL = ascii("sell");
    private static final byte[] TRADE_ID = ascii("trade_id");

    private final FeedCounters counters = new FeedCounters();
    private final JsonCursor cursor = new JsonCursor();
    private final KrakenLevels levels = new KrakenLevels(KrakenV1Feed.MAX_LEVELS_PER_MESSAGE);
    private final SymbolIndex depths = new SymbolIndex();
    private final KrakenBookSync sync;
    private long heartbeats;
    private int symbolOffset;
    private int symbolLength;
    private long entryChecksum;

    /**
     * A feed over the registry's Kraken instruments (v2 symbols, such as {@code "BTC/USD"}).
     *
     * @param registry  the instruments; its {@code KRAKEN} ones are the pairs this feed keeps.
     * @param discover  true to also intern pairs on first sight.
     * @param publisher where events go.
     * @param resyncs   told which books need a new snapshot.
     */
    public KrakenV2Feed(final InstrumentRegistry registry, final boolean discover, final EventPublisher publisher, final ResyncRequests resyncs)
    {
        this.sync = new KrakenBookSync(VENUE_ID, registry, discover, publisher, resyncs, counters, KrakenV1Feed.MAX_LEVELS_PER_MESSAGE);
    }

    @Override
    public void onConnected(final long receiveTimeNs) throws InterruptedException
    {
        sync.onConnected(receiveTimeNs);
    }

    @Override
    public void onFrame(final DirectBuffer buffer, final int offset, final int length, final long receiveTimeNs) throws InterruptedException
    {
        counters.increment(FeedCounter.FRAMES);
        try
        {
            decode(buffer, offset, length, receiveTimeNs);
        }
        catch (final JsonFormatException | DecimalFormatException | KrakenMessageException ex)
        {
            counters.error(VENUE_ID + ": bad frame: " + ex.getMessage());
            sync.failAll(receiveTimeNs);
        }
    }

    /**
     * Kraken v2 sends no REST responses to a feed: counted as an error, nothing changes.
     */
    @Override
    public void onRestResponse(
        final DirectBuffer buffer, final int urlOffset, final int urlLength, final int bodyOffset, final int bodyLength, final long receiveTimeNs)
    {
        counters.error(VENUE_ID + ": unexpected REST response from " + buffer.getStringWithoutLengthAscii(urlOffset, urlLength));
    }

    @Override
    public void onDisconnected(final long receiveTimeNs) throws InterruptedException
    {
        sync.onDisconnected(receiveTimeNs);
    }

    @Override
    public void resync(final int instrumentId, final long receiveTimeNs) throws InterruptedException
    {
        sync.resync(instrumentId, receiveTimeNs);
    }

    @Override
    public FeedCounters counters()
    {
        return counters;
    }

    @Override
    public OrderBookView book(final int instrumentId)
    {
        return sync.bookOf(instrumentId);
    }

    /** @return heartbeats received (otherwise ignored); feed thread only. */
    public long heartbeats()
    {
        return heartbeats;
    }

    KrakenBookSync sync()
    {
        return sync;
    }

    private void decode(final DirectBuffer buffer, final int offset, final int length, final long receiveTimeNs) throws InterruptedException
    {
        cursor.wrap(buffer, offset, length);
        expect(JsonToken.BEGIN_OBJECT, "a JSON object");
        int channelOffset = -1;
        int channelLength = 0;
        int typeOffset = -1;
        int typeLength = 0;
        int methodOffset = -1;
        int methodLength = 0;
        int dataOffset = -1;
        int dataLength = 0;
        int resultOffset = -1;
        int resultLength = 0;
        int errorOffset = -1;
        int errorLength = 0;
        boolean success = true;
        JsonToken token;
        while ((token = cursor.next()) == JsonToken.FIELD_NAME)
        {
            if (cursor.tokenEquals(CHANNEL))
            {
                expect(JsonToken.STRING, "channel");
                channelOffset = cursor.tokenOffset();
                channelLength = cursor.tokenLength();
            }
            else if (cursor.tokenEquals(TYPE))
            {
                expect(JsonToken.STRING, "type");
                typeOffset = cursor.tokenOffset();
                typeLength = cursor.tokenLength();
            }
            else if (cursor.tokenEquals(METHOD))
            {
                expect(JsonToken.STRING, "method");
                methodOffset = cursor.tokenOffset();
                methodLength = cursor.tokenLength();
            }
            else if (cursor.tokenEquals(SUCCESS))
            {
                final JsonToken value = cursor.next();
                if (value != JsonToken.TRUE && value != JsonToken.FALSE)
                {
                    throw new KrakenMessageException("success must be true or false");
                }
                success = value == JsonToken.TRUE;
            }
            else if (cursor.tokenEquals(ERROR))
            {
                expect(JsonToken.STRING, "error");
                errorOffset = cursor.tokenOffset();
                errorLength = cursor.tokenLength();
            }
            else if (cursor.tokenEquals(DATA) || cursor.tokenEquals(RESULT))
            {
                final boolean data = cursor.tokenEquals(DATA);
                cursor.next();
                final int start = cursor.tokenOffset();
                cursor.skipValue();
                final int end = cursor.tokenOffset() + cursor.tokenLength();
                if (data)
                {
                    dataOffset = start;
                    dataLength = end - start;
                }
                else
                {
                    resultOffset = start;
                    resultLength = end - start;
                }
            }
            else
            {
                cursor.skipValue();
            }
        }
        if (token != JsonToken.END_OBJECT || cursor.next() != JsonToken.END_OF_INPUT)
        {
            throw new KrakenMessageException("one JSON object was expected");
        }
        if (channelOffset >= 0)
        {
            onChannel(buffer, channelOffset, channelLength, typeOffset, typeLength, dataOffset, dataLength, receiveTimeNs);
        }
        else if (methodOffset >= 0)
        {
            onMethod(buffer, methodOffset, methodLength, success, errorOffset, errorLength, resultOffset, resultLength, receiveTimeNs);
        }
        else
        {
            throw new KrakenMessageException("a message without channel or method");
        }
    }

    private void onChannel(
        final DirectBuffer buffer, final int channelOffset, final int channelLength, final int typeOffset, final int typeLength,
        final int dataOffset, final int dataLength, final long receiveTimeNs) throws InterruptedException
    {
        final boolean book = equals(buffer, channelOffset, channelLength, BOOK);
        final boolean trade = equals(buffer, channelOffset, channelLength, TRADE);
        if (equals(buffer, channelOffset, channelLength, HEARTBEAT))
        {
            heartbeats++;
            return;
        }
        if (!book && !trade)
        {
            if (!equals(buffer, channelOffset, channelLength, STATUS))
            {
                counters.error(VENUE_ID + ": channel " + text(buffer, channelOffset, channelLength) + " is not decoded");
            }
            return;
        }
        final boolean snapshot = equals(buffer, typeOffset, typeLength, SNAPSHOT);
        if (!snapshot && !equals(buffer, typeOffset, typeLength, UPDATE))
        {
            throw new KrakenMessageException("type must be snapshot or update, not " + text(buffer, typeOffset, typeLength));
        }
        if (dataOffset < 0)
        {
            throw new KrakenMessageException("a " + text(buffer, channelOffset, channelLength) + " message without data");
        }
        cursor.wrap(buffer, dataOffset, dataLength);
        expect(JsonToken.BEGIN_ARRAY, "a data array");
        if (book)
        {
            JsonToken token;
            while ((token = cursor.next()) == JsonToken.BEGIN_OBJECT)
            {
                levels.clear();
                parseEntry(buffer, false);
                final int slot = sync.slotOrDiscover(buffer, symbolOffset, symbolLength, levels.maxPriceDecimals(buffer), levels.maxSizeDecimals(buffer));
                if (slot != SymbolIndex.MISSING)
                {
                    final int depth = depths.get(buffer, symbolOffset, symbolLength);
                    sync.onBook(buffer, slot, snapshot, levels, depth == SymbolIndex.MISSING ? DEFAULT_DEPTH : depth, entryChecksum, receiveTimeNs);
                }
            }
            endOfData(token);
        }
        else
        {
            levels.clear();
            JsonToken token;
            int runSymbolOffset = -1;
            int runSymbolLength = 0;
            while ((token = cursor.next()) == JsonToken.BEGIN_OBJECT)
            {
                parseEntry(buffer, true);
                if (runSymbolOffset >= 0 && !sameBytes(buffer, runSymbolOffset, runSymbolLength, symbolOffset, symbolLength))
                {
                    throw new KrakenMessageException("a trade message with several symbols");
                }
                runSymbolOffset = symbolOffset;
                runSymbolLength = symbolLength;
            }
            endOfData(token);
            if (levels.count() > 0)
            {
                final int slot = sync.slotOrDiscover(
                    buffer, runSymbolOffset, runSymbolLength, levels.maxPriceDecimals(buffer), levels.maxSizeDecimals(buffer));
                if (slot != SymbolIndex.MISSING)
                {
                    sync.onTrades(buffer, slot, levels, receiveTimeNs);
                }
            }
        }
    }

    private void endOfData(final JsonToken token)
    {
        if (token != JsonToken.END_ARRAY || cursor.next() != JsonToken.END_OF_INPUT)
        {
            throw new KrakenMessageException("data must be an array of objects");
        }
    }

    private void parseEntry(final DirectBuffer buffer, final boolean trade)
    {
        symbolOffset = -1;
        symbolLength = 0;
        entryChecksum = -1;
        long timeNs = 0;
        final int first = levels.count();
        int tradeIndex = -1;
        if (trade)
        {
            if (levels.isFull())
            {
                throw new KrakenMessageException("more than " + levels.capacity() + " trades in one message");
            }
            tradeIndex = levels.add(Side.NONE, 0, 0, 0, 0);
        }
        int priceOffset = -1;
        int priceLength = 0;
        int qtyOffset = -1;
        int qtyLength = 0;
        while (cursor.next() == JsonToken.FIELD_NAME)
        {
            if (cursor.tokenEquals(SYMBOL))
            {
                expect(JsonToken.STRING, "symbol");
                symbolOffset = cursor.tokenOffset();
                symbolLength = cursor.tokenLength();
            }
            else if (!trade && (cursor.tokenEquals(BIDS) || cursor.tokenEquals(ASKS)))
            {
                parseLevels(cursor.tokenEquals(ASKS) ? Side.ASK : Side.BID);
            }
            else if (!trade && cursor.tokenEquals(CHECKSUM))
            {
                expect(JsonToken.NUMBER, "checksum");
                entryChecksum = cursor.tokenAsLong();
                if (entryChecksum < 0 || entryChecksum > 0xFFFF_FFFFL)
                {
                    throw new KrakenMessageException("checksum out of range: " + entryChecksum);
                }
            }
            else if (cursor.tokenEquals(TIMESTAMP))
            {
                expect(JsonToken.STRING, "timestamp");
                timeNs = KrakenTimestamps.parseRfc3339(buffer, cursor.tokenOffset(), cursor.tokenLength());
            }
            else if (trade && cursor.tokenEquals(PRICE))
            {
                expect(JsonToken.NUMBER, "price");
                priceOffset = cursor.tokenOffset();
                priceLength = cursor.tokenLength();
            }
            else if (trade && cursor.tokenEquals(QTY))
            {
                expect(JsonToken.NUMBER, "qty");
                qtyOffset = cursor.tokenOffset();
                qtyLength = cursor.tokenLength();
            }
            else if (trade && cursor.tokenEquals(SIDE))
            {
                expect(JsonToken.STRING, "side");
                if (!cursor.tokenEquals(BUY) && !cursor.tokenEquals(SELL))
                {
                    throw new KrakenMessageException("a trade side must be buy or sell");
                }
                levels.side(tradeIndex, cursor.tokenEquals(BUY) ? Side.BID : Side.ASK);
            }
            else if (trade && cursor.tokenEquals(TRADE_ID))
            {
                expect(JsonToken.NUMBER, "trade_id");
                levels.id(tradeIndex, cursor.tokenAsLong());
            }
            else
            {
                cursor.skipValue();
            }
        }
        if (symbolOffset < 0)
        {
            throw new KrakenMessageException("a data entry without symbol");
        }
        if (trade)
        {
            if (priceOffset < 0 || qtyOffset < 0 || levels.side(tradeIndex) == Side.NONE)
            {
                throw new KrakenMessageException("a trade needs side, price and qty");
            }
            levels.ranges(tradeIndex, priceOffset, priceLength, qtyOffset, qtyLength);
        }
        for (int i = first; i < levels.count(); i++)
        {
            levels.timeNs(i, timeNs);
        }
    }

    private void parseLevels(final Side side)
    {
        expect(JsonToken.BEGIN_ARRAY, "an array of levels");
        JsonToken token;
        while ((token = cursor.next()) == JsonToken.BEGIN_OBJECT)
        {
            int priceOffset = -1;
            int priceLength = 0;
            int qtyOffset = -1;
            int qtyLength = 0;
            while (cursor.next() == JsonToken.FIELD_NAME)
            {
                if (cursor.tokenEquals(PRICE))
                {
                    expect(JsonToken.NUMBER, "price");
                    priceOffset = cursor.tokenOffset();
                    priceLength = cursor.tokenLength();
                }
                else if (cursor.tokenEquals(QTY))
                {
                    expect(JsonToken.NUMBER, "qty");
                    qtyOffset = cursor.tokenOffset();
                    qtyLength = cursor.tokenLength();
                }
                else
                {
                    cursor.skipValue();
                }
            }
            if (priceOffset < 0 || qtyOffset < 0)
            {
                throw new KrakenMessageException("a level needs price and qty");
            }
            if (levels.isFull())
            {
                throw new KrakenMessageException("more than " + levels.capacity() + " levels in one message");
            }
            levels.add(side, priceOffset, priceLength, qtyOffset, qtyLength);
        }
        if (token != JsonToken.END_ARRAY)
        {
            throw new KrakenMessageException("a level must be an object, not " + token);
        }
    }

    private void onMethod(
        final DirectBuffer buffer, final int methodOffset, final int methodLength, final boolean success, final int errorOffset,
        final int errorLength, final int resultOffset, final int resultLength, final long receiveTimeNs) throws InterruptedException
    {
        if (!success)
        {
            counters.error(VENUE_ID + ": " + text(buffer, methodOffset, methodLength) + " failed: " + text(buffer, errorOffset, errorLength));
            return;
        }
        final boolean subscribe = equals(buffer, methodOffset, methodLength, SUBSCRIBE);
        final boolean unsubscribe = equals(buffer, methodOffset, methodLength, UNSUBSCRIBE);
        if ((subscribe || unsubscribe) && resultOffset >= 0)
        {
            onSubscriptionResult(buffer, resultOffset, resultLength, subscribe, receiveTimeNs);
        }
        else if (!subscribe && !unsubscribe && !equals(buffer, methodOffset, methodLength, PONG))
        {
            counters.error(VENUE_ID + ": method " + text(buffer, methodOffset, methodLength) + " is not expected");
        }
    }

    private void onSubscriptionResult(
        final DirectBuffer buffer, final int resultOffset, final int resultLength, final boolean subscribe, final long receiveTimeNs)
        throws InterruptedException
    {
        cursor.wrap(buffer, resultOffset, resultLength);
        expect(JsonToken.BEGIN_OBJECT, "a result object");
        boolean book = false;
        int depth = DEFAULT_DEPTH;
        int pairOffset = -1;
        int pairLength = 0;
        while (cursor.next() == JsonToken.FIELD_NAME)
        {
            if (cursor.tokenEquals(CHANNEL))
            {
                expect(JsonToken.STRING, "channel");
                book = cursor.tokenEquals(BOOK);
            }
            else if (cursor.tokenEquals(DEPTH))
            {
                expect(JsonToken.NUMBER, "depth");
                final long value = cursor.tokenAsLong();
                if (value != 10 && value != 25 && value != 100 && value != 500 && value != 1000)
                {
                    throw new KrakenMessageException("book depth " + value + " is not one Kraken offers (10, 25, 100, 500, 1000)");
                }
                depth = (int)value;
            }
            else if (cursor.tokenEquals(SYMBOL))
            {
                expect(JsonToken.STRING, "symbol");
                pairOffset = cursor.tokenOffset();
                pairLength = cursor.tokenLength();
            }
            else
            {
                cursor.skipValue();
            }
        }
        if (!book || pairOffset < 0)
        {
            return;
        }
        if (subscribe)
        {
            if (depths.get(buffer, pairOffset, pairLength) != depth)
            {
                depths.put(buffer.getStringWithoutLengthAscii(pairOffset, pairLength), depth);
            }
        }
        else
        {
            final int slot = sync.slot(buffer, pairOffset, pairLength);
            if (slot != SymbolIndex.MISSING)
            {
                sync.stale(slot, receiveTimeNs);
            }
        }
    }

    private void expect(final JsonToken expected, final String what)
    {
        final JsonToken token = cursor.next();
        if (token != expected)
        {
            throw new KrakenMessageException(what + " was expected as " + expected + ", not " + token);
        }
    }

    private static boolean sameBytes(final DirectBuffer buffer, final int offsetA, final int lengthA, final int offsetB, final int lengthB)
    {
        if (lengthA != lengthB)
        {
            return false;
        }
        for (int i = 0; i < lengthA; i++)
        {
            if (buffer.getByte(offsetA + i) != buffer.getByte(offsetB + i))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean equals(final DirectBuffer buffer, final int offset, final int length, final byte[] ascii)
    {
        if (offset < 0 || length != ascii.length)
        {
            return false;
        }
        for (int i = 0; i < ascii.length; i++)
        {
            if (buffer.getByte(offset + i) != ascii[i])
            {
                return false;
            }
        }
        return true;
    }

    private static String text(final DirectBuffer buffer, final int offset, final int length)
    {
        return offset < 0 ? "-" : buffer.getStringWithoutLengthAscii(offset, length);
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
