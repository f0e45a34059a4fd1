package io.loom.connectors.kraken;

import io.loom.api.book.OrderBookView;
import io.loom.api.event.Side;
import io.loom.api.instrument.Instrument;
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
 *   {"event":"systemStatus"|"subscriptionStatus"|"pong",...}       a book "subscribed" teaches the
 *                                                                  decoder its channelID; "unsubscribed"
 *                                                                  turns the book STALE; a status
 *                                                                  "error" is counted
 *   [id,{"as":[[p,v,ts],...],"bs":[...]},"book-1000","PAIR"]       snapshot: the book restarts, VALID
 *   [id,{"a":[[p,v,ts(,"r")],...]},{"b":[...],"c":"crc"},"book-1000","PAIR"]
 *   [id,{"b":[...],"c":"crc"},"book-10","PAIR"]                    update: apply in order (volume 0
 *                                                                  deletes), truncate to the depth of
 *                                                                  the channel name, verify the CRC32
 *   [id,[[p,v,time,"b"|"s",type,misc],...],"trade","PAIR"]         TRADE events (side = aggressor)
 * </pre>
 *
 * Book messages are decoded by a {@link KrakenV1BookDecoder}: in one pass when their channel id
 * is one a subscription status bound to a pair this feed keeps (the pair is checked against the
 * channel's at the end of the message), else by a general JSON walk (whose pair then binds the
 * channel). Everything else (events, trades) is read here.
 *
 * <p>A checksum mismatch counts {@code CHECKSUMS_FAILED}, publishes the book STALE and asks for its
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
    private static final byte[] CHANNEL_ID = ascii("channelID");
    private static final byte[] ERROR_MESSAGE = ascii("errorMessage");
    private static final byte[] HEARTBEAT = ascii("heartbeat");
    private static final byte[] SYSTEM_STATUS = ascii("systemStatus");
    private static final byte[] SUBSCRIPTION_STATUS = ascii("subscriptionStatus");
    private static final byte[] PONG = ascii("pong");
    private static final byte[] ERROR = ascii("error");
    private static final byte[] SUBSCRIBED = ascii("subscribed");
    private static final byte[] UNSUBSCRIBED = ascii("unsubscribed");
    private static final byte[] BIDS = ascii("b");
    private static final byte[] SELL = ascii("s");
    private static final byte[] TRADE = ascii("trade");
    private static final byte[] BOOK_PREFIX = ascii("book-");

    private final FeedCounters counters = new FeedCounters();
    private final JsonCursor cursor = new JsonCursor();
    private final KrakenLevels levels = new KrakenLevels(MAX_LEVELS_PER_MESSAGE);
    private final KrakenV1BookDecoder books = new KrakenV1BookDecoder(MAX_LEVELS_PER_MESSAGE);
    private final KrakenBookSync sync;
    private long heartbeats;

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
        books.clearChannels();
        sync.onConnected(receiveTimeNs);
    }

    @Override
    public void onFrame(final DirectBuffer buffer, final int offset, final int length, final long receiveTimeNs) throws InterruptedException
    {
        counters.increment(FeedCounter.FRAMES);
        try
        {
            if (books.decode(buffer, offset, length) == KrakenV1BookDecoder.BOOK)
            {
                onBookMessage(buffer, receiveTimeNs);
                return;
            }
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
        books.clearChannels();
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

    /** @return the book message decoder (its fast/general path counts); feed thread only. */
    public KrakenV1BookDecoder bookDecoder()
    {
        return books;
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
        long channelId = -1;
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
            else if (cursor.tokenEquals(CHANNEL_ID))
            {
                channelId = cursor.next() == JsonToken.NUMBER && cursor.tokenScale() == 0 ? cursor.tokenUnscaledValue() : -1;
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
            onSubscriptionStatus(buffer, channelId, statusOffset, statusLength, pairOffset, pairLength, channelOffset, channelLength,
                errorOffset, errorLength, receiveTimeNs);
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

    /**
     * A failed subscription is counted; a book channel subscribed is taught to the decoder (bound
     * to its pair's book when the feed keeps it); one unsubscribed is forgotten and its book STALE.
     */
    private void onSubscriptionStatus(
        final DirectBuffer buffer,
        final long channelId,
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
        if (!book || pairOffset < 0 || statusOffset < 0)
        {
            return;
        }
        final int slot = sync.slot(buffer, pairOffset, pairLength);
        if (equals(buffer, statusOffset, statusLength, SUBSCRIBED) && channelId >= 0)
        {
            books.subscribed(channelId, buffer, channelOffset, channelLength, pairOffset, pairLength);
            if (slot != SymbolIndex.MISSING)
            {
                bind(channelId, slot);
            }
        }
        else if (equals(buffer, statusOffset, statusLength, UNSUBSCRIBED))
        {
            books.unsubscribed(channelId);
            if (slot != SymbolIndex.MISSING)
            {
                sync.stale(slot, receiveTimeNs);
            }
        }
    }

    private void bind(final long channelId, final int slot)
    {
        final Instrument instrument = sync.instrument(slot);
        books.bind(channelId, slot, instrument.priceExponent(), instrument.sizeExponent());
    }

    /** A channel message that is not a book ({@link KrakenV1BookDecoder} took those): trades, or a channel not decoded. */
    private void onChannelMessage(final DirectBuffer buffer, final long receiveTimeNs) throws InterruptedException
    {
        expect(JsonToken.NUMBER, "a channel id");
        levels.clear();
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
            else if (token == JsonToken.BEGIN_ARRAY && nameOffset < 0 && !trades)
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
        if (equals(buffer, nameOffset, nameLength, TRADE))
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

    /**
     * Applies the book message the decoder read: to the book its channel is bound to, else to the
     * pair's book (interned in discover mode), which then binds the channel.
     */
    private void onBookMessage(final DirectBuffer buffer, final long receiveTimeNs) throws InterruptedException
    {
        final KrakenLevels bookLevels = books.levels();
        int slot = books.channelKey();
        if (slot == KrakenV1BookDecoder.UNBOUND)
        {
            slot = sync.slotOrDiscover(buffer, books.pairOffset(), books.pairLength(), bookLevels.maxPriceDecimals(buffer),
                bookLevels.maxSizeDecimals(buffer));
            if (slot == SymbolIndex.MISSING)
            {
                return;
            }
            bind(books.channelId(), slot);
        }
        sync.onBook(buffer, slot, books.isSnapshot(), bookLevels, books.depth(), books.checksum(), receiveTimeNs);
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
