package io.loom.connectors.kraken;

import io.loom.api.event.Side;
import io.loom.runtime.codec.JsonCursor;
import io.loom.runtime.codec.JsonFormatException;
import io.loom.runtime.codec.JsonToken;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;

/**
 * {@link KrakenV1BookDecoder}'s general path: a {@link JsonCursor} walk of any well-formed v1
 * channel message, which keeps each level's byte ranges (and, for compact
 * {@code ["p","v","t"]} levels, their digits) in {@link KrakenLevels} for a later
 * {@link KrakenLevels#resolve}, and the message's snapshot flag, checksum, depth, channel id,
 * name and pair. Strict: another shape is a {@link KrakenMessageException}, malformed JSON a
 * {@link JsonFormatException}; a payload array (trades, spread, ...) is left to the caller.
 *
 * <p>Thread-safety: not thread-safe; owned by one decoder. Allocates nothing.
 */
final class KrakenV1BookWalk
{
    private static final byte[] SNAPSHOT_ASKS = ascii("as");
    private static final byte[] SNAPSHOT_BIDS = ascii("bs");
    private static final byte[] ASKS = ascii("a");
    private static final byte[] BIDS = ascii("b");
    private static final byte[] CHECKSUM = ascii("c");
    private static final byte[] REPUBLISH = ascii("r");
    private static final byte[] BOOK_PREFIX = ascii("book-");
    private static final long MAX_CHECKSUM = 0xFFFF_FFFFL;

    private final JsonCursor cursor = new JsonCursor();
    private final KrakenLevels levels;
    private boolean snapshotKeys;
    private boolean updateKeys;
    private int bookDicts;
    private long checksum;
    private int depth;
    private long channelId;
    private int nameOffset;
    private int nameLength;
    private int pairOffset;
    private int pairLength;

    /**
     * @param levels where the levels go (cleared by every walk).
     */
    KrakenV1BookWalk(final KrakenLevels levels)
    {
        this.levels = levels;
    }

    /**
     * Walks one frame.
     *
     * @return {@link KrakenV1BookDecoder#BOOK} or {@link KrakenV1BookDecoder#NOT_A_BOOK}.
     * @throws JsonFormatException    if the JSON is malformed or truncated.
     * @throws KrakenMessageException if it is a book message of an unknown shape.
     */
    int walk(final DirectBuffer buffer, final int offset, final int length)
    {
        cursor.wrap(buffer, offset, length);
        if (cursor.next() != JsonToken.BEGIN_ARRAY)
        {
            return KrakenV1BookDecoder.NOT_A_BOOK;
        }
        expect(JsonToken.NUMBER, "a channel id");
        channelId = cursor.tokenScale() == 0 ? cursor.tokenUnscaledValue() : -1;
        levels.clear();
        snapshotKeys = false;
        updateKeys = false;
        bookDicts = 0;
        checksum = -1;
        nameOffset = -1;
        nameLength = 0;
        pairOffset = -1;
        pairLength = 0;
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
            else if (token == JsonToken.BEGIN_OBJECT && nameOffset < 0)
            {
                parseBookDict();
            }
            else if (token == JsonToken.BEGIN_ARRAY && nameOffset < 0 && bookDicts == 0)
            {
                return KrakenV1BookDecoder.NOT_A_BOOK;
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
        if (!isBookName(buffer, nameOffset, nameLength))
        {
            throw new KrakenMessageException("a channel message's payload does not match its channel");
        }
        if (bookDicts == 0 || snapshotKeys == updateKeys)
        {
            throw new KrakenMessageException("a book message needs snapshot (as/bs) or update (a/b) levels, not both");
        }
        depth = depthOf(buffer, nameOffset, nameLength);
        if (depth == 0)
        {
            throw new KrakenMessageException("a book channel name is book-<depth>, one Kraken offers (10, 25, 100, 500, 1000)");
        }
        return KrakenV1BookDecoder.BOOK;
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
                if (checksum >= 0 || value < 0 || value > MAX_CHECKSUM)
                {
                    throw new KrakenMessageException("a second or out-of-range checksum " + value);
                }
                checksum = value;
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
                levels.markRepublished(index);
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

    private void expect(final JsonToken expected, final String what)
    {
        final JsonToken token = cursor.next();
        if (token != expected)
        {
            throw new KrakenMessageException(what + " was expected, not " + token);
        }
    }

    boolean isSnapshot()
    {
        return snapshotKeys;
    }

    long checksum()
    {
        return checksum;
    }

    int depth()
    {
        return depth;
    }

    /** @return the channel id, or -1 if it is not a plain integer. */
    long channelId()
    {
        return channelId;
    }

    int nameOffset()
    {
        return nameOffset;
    }

    int nameLength()
    {
        return nameLength;
    }

    int pairOffset()
    {
        return pairOffset;
    }

    int pairLength()
    {
        return pairLength;
    }

    /** @return the depth of a channel name {@code book-<depth>} if it is one Kraken offers, else 0. */
    static int depthOf(final DirectBuffer buffer, final int nameOffset, final int nameLength)
    {
        if (!isBookName(buffer, nameOffset, nameLength))
        {
            return 0;
        }
        final int offset = nameOffset + BOOK_PREFIX.length;
        final int length = nameLength - BOOK_PREFIX.length;
        int depth = 0;
        for (int i = 0; i < length; i++)
        {
            final int digit = buffer.getByte(offset + i) - '0';
            if (digit < 0 || digit > 9 || i >= 5)
            {
                return 0;
            }
            depth = depth * 10 + digit;
        }
        return depth == 10 || depth == 25 || depth == 100 || depth == 500 || depth == 1000 ? depth : 0;
    }

    private static boolean isBookName(final DirectBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || length < BOOK_PREFIX.length)
        {
            return false;
        }
        for (int i = 0; i < BOOK_PREFIX.length; i++)
        {
            if (buffer.getByte(offset + i) != BOOK_PREFIX[i])
            {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
