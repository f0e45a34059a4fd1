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
 * The Kraken WebSocket API v1 feed ({@code wss://ws.kraken.com}): the {@code book-<depth>} and
 * {@code trade} channels, as a {@link VenueFeed}.
 *
 * <pre>
 *   {"event":"heartbeat"}                                          counted, nothing published
 *   {"event":"systemStatus"|"subscriptionStatus"|"pong",...}       an "unsubscribed" book turns STALE;
 *                                                                  a status "error" is counted
 *   [id,{"as":[[p,v,ts],...],"bs":[...]},"book-1000","PAIR"]       snapshot: the book restarts, VALID
 *   [id,{"a":[[p,v,ts(,"r")],...]},{"b":[...],"c":"crc"},"book-1000","PAIR"]
 *   [id,{"b":[...],"c":"crc"},"book-10","PAIR"]                    update: apply in order (volume 0
 *                                                                  deletes), truncate to the depth of
 *                                                                  the channel name, verify the CRC32
 *   [id,[[p,v,time,"b"|"s",type,misc],...],"trade","PAIR"]         TRADE events (side = aggressor)
 * </pre>
 *
 * A checksum mismatch counts {@code CHECKSUMS_FAILED}, publishes the book STALE and asks for its
 * resync (the session unsubscribes and subscribes; the next snapshot counts {@code RESYNCS} and
 * makes it VALID). Prices and volumes are parsed exactly at the instrument's exponents; v1 book
 * messages carry no update id, so events carry sequence 0, and v1 trades no id either.
 *
 * <p>Bad input never escapes: malformed or truncated JSON, a message of an unknown shape or event,
 * or one that cannot be attributed to a pair counts an error and resyncs every book; a bad decimal
 * or a level at other decimals than its pair's snapshot resyncs that pair's book. Well-formed
 * messages of channels the feed does not decode (spread, ohlc, ...) and pairs outside its
 * instruments count an error and change no book.
 *
 * <p>Instruments: the {@link io.loom.api.instrument.Venue#KRAKEN} instruments of the registry at
 * construction; in discover mode also every other pair, interned on first sight with the
 * exponents of its first message's decimals (allocation happens then only).
 *
 * <p>Thread-safety: not thread-safe; one thread drives it. Allocates nothing per frame in steady
 * state (decode, check, apply and publish).
 */
public final class KrakenV1Feed implements VenueFeed
{
    /** The capture venue id ({@code #venue} line) this feed decodes. */
    public static final String VENUE_ID = "kraken-v1";
    /** The most levels (or trades) one message may carry: a snapshot holds at most 1,000 per side. */
    public static final int MAX_LEVELS_PER_MESSAGE = 4096;

    private static final byte[] EVENT = ascii("event");
    private static final byte[] STATUS = ascii("status");
    private static final byte[] PAIR = ascii("pair");
    private static final byte[] CHANNEL_NAME = ascii("channelName");
    private static final byte[] ERROR_MESSAGE = ascii("errorMessage");
    private static final byte[] HEARTBEAT = ascii("heartbeat");
    private static final byte[] SYSTEM_STATUS = ascii("systemStatus");
    private static final byte[] SUBSCRIPTION_STATUS = ascii("subscriptionStatus");
    private static final byte[] PONG = ascii("pong");
    private static final byte[] ERROR = ascii("error");
    private static final byte[] UNSUBSCRIBED = ascii("unsubscribed");
    private static final byte[] SNAPSHOT_ASKS = ascii("as");
    private static final byte[] SNAPSHOT_BIDS = ascii("bs");
    private static final byte[] ASKS = ascii("a");
    private static final byte[] BIDS = ascii("b");
    private static final byte[] CHECKSUM = ascii("c");
    private static final byte[] REPUBLISH = ascii("r");
    private static final byte[] SELL = ascii("s");
    private static final byte[] TRADE = ascii("trade");
    private static final byte[] BOOK_PREFIX = ascii("book-");

    private final FeedCounters counters = new FeedCounters();
    private final JsonCursor cursor = new JsonCursor();
    private final KrakenLevels levels = new KrakenLevels(MAX_LEVELS_PER_MESSAGE);
    private final KrakenBookSync sync;
    private long heartbeats;
    private boolean snapshotKeys;
    private boolean updateKeys;
    private int bookDicts;
    private long wireChecksum;

    /**
     * A feed over the registry's Kraken instruments.
     *
     * @param registry  the instruments; its {@code KRAKEN} ones are the pairs this feed keeps.
     * @param discover  true to also intern pairs on first sight (offline verification of a capture
     *                  whose pairs are not known up front).
     * @param publisher where events go.
     * @param resyncs   told which books need a new snapshot.
     */
    public KrakenV1Feed(final InstrumentRegistry registry, final boolean discover, final EventPublisher publisher, final ResyncRequests resyncs)
    {
        this.sync = new KrakenBookSync(VENUE_ID, registry, discover, publisher, resyncs, counters, MAX_LEVELS_PER_MESSAGE);
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
            cursor.wrap(buffer, offset, length);
            final JsonToken first = cursor.next();
            if (first == JsonToken.BEGIN_OBJECT)
            {
                onEventMessage(buffer, receiveTimeNs);
            }
            else if (first == JsonToken.BEGIN_ARRAY)
            {
                onChannelMessage(buffer, receiveTimeNs);
            }
            else
            {
                throw new KrakenMessageException("a JSON object or array was expected, not " + first);
            }
        }
        catch (final JsonFormatException | DecimalFormatException | KrakenMessageException ex)
        {
            counters.error(VENUE_ID + ": bad frame: " + ex.getMessage());
            sync.failAll(receiveTimeNs);
        }
    }

    /**
     * Kraken v1 sends no REST responses to a feed: counted as an error, nothing changes.
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

    /** @return heartbeat events received (they are otherwise ignored); feed thread only. */
    public long heartbeats()
    {
        return heartbeats;
    }

    KrakenBookSync sync()
    {
        return sync;
    }

    private void onEventMessage(final DirectBuffer buffer, final long receiveTimeNs) throws InterruptedException
    {
        int eventOffset = -1;
        int eventLength = 0;
        int statusOffset = -1;
        int statusLength = 0;
        int pairOffset = -1;
        int pairLength = 0;
        int channelOffset = -1;
        int channelLength = 0;
        int errorOffset = -1;
        int errorLength = 0;
        while (cursor.next() == JsonToken.FIELD_NAME)
        {
            if (cursor.tokenEquals(EVENT))
            {
                expect(JsonToken.STRING, "event");
                eventOffset = cursor.tokenOffset();
                eventLength = cursor.tokenLength();
            }
            else if (cursor.tokenEquals(STATUS))
            {
                expect(JsonToken.STRING, "status");
                statusOffset = cursor.tokenOffset();
                statusLength = cursor.tokenLength();
            }
            else if (cursor.tokenEquals(PAIR))
            {
                if (cursor.next() == JsonToken.STRING)
                {
                    pairOffset = cursor.tokenOffset();
                    pairLength = cursor.tokenLength();
                }
                else
                {
                    cursor.skipValue();
                }
            }
            else if (cursor.tokenEquals(CHANNEL_NAME))
            {
                expect(JsonToken.STRING, "channelName");
                channelOffset = cursor.tokenOffset();
                channelLength = cursor.tokenLength();
            }
            else if (cursor.tokenEquals(ERROR_MESSAGE))
            {
                expect(JsonToken.STRING, "errorMessage");
                errorOffset = cursor.tokenOffset();
                errorLength = cursor.tokenLength();
            }
            else
            {
                cursor.skipValue();
            }
        }
        expect(JsonToken.END_OF_INPUT, "the end of the message");
        if (eventOffset < 0)
        {
            throw new KrakenMessageException("an object without \"event\"");
        }
        if (equals(buffer, eventOffset, eventLength, HEARTBEAT))
        {
            heartbeats++;
        }
        else if (equals(buffer, eventOffset, eventLength, SUBSCRIPTION_STATUS))
        {
            onSubscriptionStatus(buffer, statusOffset, statusLength, pairOffset, pairLength, channelOffset, channelLength, errorOffset,
                errorLength, receiveTimeNs);
        }
        else if (equals(buffer, eventOffset, eventLength, ERROR))
        {
            counters.error(VENUE_ID + ": error event: " + text(buffer, errorOffset, errorLength));
        }
        else if (!equals(buffer, eventOffset, eventLength, SYSTEM_STATUS) && !equals(buffer, eventOffset, eventLength, PONG))
        {
            throw new KrakenMessageException("unknown event " + text(buffer, eventOffset, eventLength));
        }
    }

    private void onSubscriptionStatus(
        final DirectBuffer buffer,
        final int statusOffset, final int statusLength,
        final int pairOffset, final int pairLength,
        final int channelOffset, final int channelLength,
        final int errorOffset, final int errorLength,
        final long receiveTimeNs) throws InterruptedException
    {
        if (statusOffset >= 0 && equals(buffer, statusOffset, statusLength, ERROR))
        {
            counters.error(VENUE_ID + ": subscription of " + text(buffer, pairOffset, pairLength) + " failed: " +
                text(buffer, errorOffset, errorLength));
            return;
        }
        final boolean book = channelOffset >= 0 && startsWith(buffer, channelOffset, channelLength, BOOK_PREFIX);
        if (book && pairOffset >= 0 && statusOffset >= 0 && equals(buffer, statusOffset, statusLength, UNSUBSCRIBED))
        {
            final int slot = sync.slot(buffer, pairOffset, pairLength);
            if (slot != SymbolIndex.MISSING)
            {
                sync.stale(slot, receiveTimeNs);
            }
        }
    }

    private void onChannelMessage(final DirectBuffer buffer, final long receiveTimeNs) throws InterruptedException
    {
        expect(JsonToken.NUMBER, "a channel id");
        levels.clear();
        snapshotKeys = false;
        updateKeys = false;
        bookDicts = 0;
        wireChecksum = -1;
        boolean trades = false;
        int arrayOffset = 0;
        int arrayLength = 0;
        int nameOffset = -1;
        int nameLength = 0;
        int pairOffset = -1;
        int pairLength = 0;
        JsonToken token;
        while ((token = cursor.next()) != JsonToken.END_ARRAY)
        {
            if (token == JsonToken.STRING && nameOffset < 0)
            {
                nameOffset = cursor.tokenOffset();
                nameLength = cursor.tokenLength();
            }
            else if (token == JsonToken.STRING && pairOffset < 0)
            {
                pairOffset = cursor.tokenOffset();
                pairLength = cursor.tokenLength();
            }
            else if (token == JsonToken.BEGIN_OBJECT && nameOffset < 0 && !trades)
            {
                parseBookDict();
            }
            else if (token == JsonToken.BEGIN_ARRAY && nameOffset < 0 && !trades && bookDicts == 0)
            {
                trades = true;
                arrayOffset = cursor.tokenOffset();
                cursor.skipValue();
                arrayLength = cursor.tokenOffset() + 1 - arrayOffset;
            }
            else
            {
                throw new KrakenMessageException("unexpected " + token + " in a channel message");
            }
        }
        expect(JsonToken.END_OF_INPUT, "the end of the message");
        if (pairOffset < 0)
        {
            throw new KrakenMessageException("a channel message without channel name and pair");
        }
        if (startsWith(buffer, nameOffset, nameLength, BOOK_PREFIX))
        {
            onBookMessage(buffer, nameOffset, nameLength, pairOffset, pairLength, receiveTimeNs);
        }
        else if (equals(buffer, nameOffset, nameLength, TRADE))
        {
            if (!trades)
            {
                throw new KrakenMessageException("a trade message without trades");
            }
            cursor.wrap(buffer, arrayOffset, arrayLength);
            cursor.next();
            parseTrades();
            expect(JsonToken.END_OF_INPUT, "the end of the trades");
            final int slot = sync.slotOrDiscover(buffer, pairOffset, pairLength, levels.maxPriceDecimals(buffer), levels.maxSizeDecimals(buffer));
            if (slot != SymbolIndex.MISSING)
            {
                sync.onTrades(buffer, slot, levels, receiveTimeNs);
            }
        }
        else if (trades)
        {
            counters.error(VENUE_ID + ": channel " + text(buffer, nameOffset, nameLength) + " is not decoded");
        }
        else
        {
            throw new KrakenMessageException("a channel message's payload does not match its channel");
        }
    }

    private void onBookMessage(
        final DirectBuffer buffer, final int nameOffset, final int nameLength, final int pairOffset, final int pairLength, final long receiveTimeNs)
        throws InterruptedException
    {
        if (bookDicts == 0 || snapshotKeys == updateKeys)
        {
            throw new KrakenMessageException("a book message needs snapshot (as/bs) or update (a/b) levels, not both");
        }
        final int depth = depth(buffer, nameOffset + BOOK_PREFIX.length, nameLength - BOOK_PREFIX.length);
        final int slot = sync.slotOrDiscover(buffer, pairOffset, pairLength, levels.maxPriceDecimals(buffer), levels.maxSizeDecimals(buffer));
        if (slot != SymbolIndex.MISSING)
        {
            sync.onBook(buffer, slot, snapshotKeys, levels, depth, wireChecksum, receiveTimeNs);
        }
    }

    private void parseBookDict()
    {
        bookDicts++;
        while (cursor.next() == JsonToken.FIELD_NAME)
        {
            if (cursor.tokenEquals(SNAPSHOT_ASKS) || cursor.tokenEquals(SNAPSHOT_BIDS))
            {
                snapshotKeys = true;
                parseLevels(cursor.tokenEquals(SNAPSHOT_ASKS) ? Side.ASK : Side.BID);
            }
            else if (cursor.tokenEquals(ASKS) || cursor.tokenEquals(BIDS))
            {
                updateKeys = true;
                parseLevels(cursor.tokenEquals(ASKS) ? Side.ASK : Side.BID);
            }
            else if (cursor.tokenEquals(CHECKSUM))
            {
                expect(JsonToken.STRING, "a checksum string");
                final long value = cursor.tokenAsLong();
                if (wireChecksum >= 0 || value < 0 || value > 0xFFFF_FFFFL)
                {
                    throw new KrakenMessageException("a second or out-of-range checksum " + value);
                }
                wireChecksum = value;
            }
            else
            {
                throw new KrakenMessageException("unknown book field");
            }
        }
    }

    /** Reads a side's levels: compact {@code ["p","v","t"]} ones in one step ({@link JsonCursor#nextCompactStrings}), the rest token by token. */
    private void parseLevels(final Side side)
    {
        expect(JsonToken.BEGIN_ARRAY, "an array of levels");
        JsonToken token;
        while (true)
        {
            if (!levels.isFull() && cursor.nextCompactStrings(3))
            {
                levels.addCompact(side, cursor);
                continue;
            }
            token = cursor.next();
            if (token != JsonToken.BEGIN_ARRAY)
            {
                break;
            }
            if (levels.isFull())
            {
                throw new KrakenMessageException("more than " + levels.capacity() + " levels in one message");
            }
            expect(JsonToken.STRING, "a price");
            final int priceOffset = cursor.tokenOffset();
            final int priceLength = cursor.tokenLength();
            expect(JsonToken.STRING, "a volume");
            final int index = levels.add(side, priceOffset, priceLength, cursor.tokenOffset(), cursor.tokenLength());
            expect(JsonToken.STRING, "a timestamp");
            levels.time(index, cursor.tokenOffset(), cursor.tokenLength());
            token = cursor.next();
            if (token == JsonToken.STRING)
            {
                if (!cursor.tokenEquals(REPUBLISH))
                {
                    throw new KrakenMessageException("a level's fourth field must be \"r\"");
                }
                token = cursor.next();
            }
            if (token != JsonToken.END_ARRAY)
            {
                throw new KrakenMessageException("a level has [price, volume, timestamp(, \"r\")], not " + token);
            }
        }
        if (token != JsonToken.END_ARRAY)
        {
            throw new KrakenMessageException("a level must be an array, not " + token);
        }
    }

    private void parseTrades()
    {
        JsonToken token;
        while ((token = cursor.next()) == JsonToken.BEGIN_ARRAY)
        {
            if (levels.isFull())
            {
                throw new KrakenMessageException("more than " + levels.capacity() + " trades in one message");
            }
            expect(JsonToken.STRING, "a price");
            final int priceOffset = cursor.tokenOffset();
            final int priceLength = cursor.tokenLength();
            expect(JsonToken.STRING, "a volume");
            final int index = levels.add(Side.NONE, priceOffset, priceLength, cursor.tokenOffset(), cursor.tokenLength());
            expect(JsonToken.STRING, "a time");
            levels.time(index, cursor.tokenOffset(), cursor.tokenLength());
            expect(JsonToken.STRING, "a side");
            if (cursor.tokenEquals(BIDS))
            {
                levels.side(index, Side.BID);
            }
            else if (cursor.tokenEquals(SELL))
            {
                levels.side(index, Side.ASK);
            }
            else
            {
                throw new KrakenMessageException("a trade side must be \"b\" or \"s\"");
            }
            expect(JsonToken.STRING, "an order type");
            expect(JsonToken.STRING, "misc");
            expect(JsonToken.END_ARRAY, "the end of a trade");
        }
        if (token != JsonToken.END_ARRAY)
        {
            throw new KrakenMessageException("a trade must be an array, not " + token);
        }
    }

    private void expect(final JsonToken expected, final String what)
    {
        final JsonToken token = cursor.next();
        if (token != expected)
        {
            throw new KrakenMessageException(what + " was expected, not " + token);
        }
    }

    private static int depth(final DirectBuffer buffer, final int offset, final int length)
    {
        int depth = 0;
        for (int i = 0; i < length; i++)
        {
            final int digit = buffer.getByte(offset + i) - '0';
            if (digit < 0 || digit > 9 || i >= 5)
            {
                throw new KrakenMessageException("a book channel name is book-<depth>");
            }
            depth = depth * 10 + digit;
        }
        if (depth != 10 && depth != 25 && depth != 100 && depth != 500 && depth != 1000)
        {
            throw new KrakenMessageException("book depth " + depth + " is not one Kraken offers (10, 25, 100, 500, 1000)");
        }
        return depth;
    }

    private static boolean equals(final DirectBuffer buffer, final int offset, final int length, final byte[] ascii)
    {
        return length == ascii.length && startsWith(buffer, offset, length, ascii);
    }

    private static boolean startsWith(final DirectBuffer buffer, final int offset, final int length, final byte[] ascii)
    {
        if (offset < 0 || length < ascii.length)
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
