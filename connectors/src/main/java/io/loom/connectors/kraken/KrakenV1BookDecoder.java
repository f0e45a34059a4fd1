package io.loom.connectors.kraken;

import io.loom.api.event.Side;
import io.loom.runtime.codec.DecimalFormatException;
import io.loom.runtime.codec.JsonCursor;
import io.loom.runtime.codec.JsonFormatException;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

/**
 * Decodes Kraken WebSocket v1 {@code book-<depth>} messages into a reusable message of levels:
 * side, price and volume as exact {@code long} mantissas, time in epoch ns, the republish flag,
 * the wire byte ranges of price and volume (what the CRC32 is computed over), snapshot or update,
 * the depth of the channel name and the checksum.
 *
 * <pre>
 *   [336,{"b":[["5541.30000","2.50700000","1534614248.456738"]],"c":"974942666"},"book-10","XBT/USD"]
 *   [336,{"as":[[p,v,t],...],"bs":[...]},"book-10","XBT/USD"]              snapshot
 *   [336,{"a":[[p,v,t,"r"]]},{"b":[...],"c":"..."},"book-10","XBT/USD"]     update in two dicts
 *
 *   fast path   the channel id is one the subscription bound to an instrument ({@link #subscribed},
 *               {@link #bind}): one pass over the fixed shape, decimals read eight bytes at a time
 *               ({@link KrakenDigitWords}) and scaled at the instrument's exponents as they are
 *               read, the trailing channel name and pair compared with the channel's; Kraken's usual
 *               message, an update of one level, read whole first ({@code oneLevelUpdate})
 *   general     anything else (unknown channel id, whitespace, other key order or fields, escapes,
 *               exponent notation, more digits): a {@link JsonCursor} walk ({@link KrakenV1BookWalk}) that keeps byte ranges,
 *               scaled later ({@link KrakenBookSync} resolves them once the pair is known)
 * </pre>
 *
 * A frame the fast path does not take is decoded by the general path, which decides: the fast
 * path never rejects anything. Errors are thrown, typed, for the feed to count: malformed JSON
 * ({@link JsonFormatException}), a message of an unknown shape or whose channel name or pair is
 * not what its channel id was subscribed as ({@link KrakenMessageException}). Bad decimals are
 * found when the levels are resolved ({@link DecimalFormatException}, the pair's book resyncs).
 *
 * <p>One file past 800 lines on purpose: the one-level template and the fast path's loop fill the
 * same reusable message with the same scaling and byte-range rules (the general path is its own
 * file, {@link KrakenV1BookWalk}); kept side by side they are read against each other ({@code KrakenV1BookDecoderTest} checks every recorded
 * frame against Jackson and each fallback on reordered, mutated and cut frames).
 *
 * <p>Thread-safety: not thread-safe; one thread decodes. Allocates nothing per message; learning
 * a channel allocates while the channel table grows.
 */
public final class KrakenV1BookDecoder
{
    /** {@link #decode} read a book message: its levels and fields are available. */
    public static final int BOOK = 1;
    /** {@link #decode} found no book message: an event object, or a channel message whose payload is an array (trades, spread, ...). */
    public static final int NOT_A_BOOK = 0;
    /** {@link #channelKey()} when the message's channel is not bound to an instrument. */
    public static final int UNBOUND = KrakenV1Channels.UNBOUND;

    private static final int TIME_EXPONENT = -9;
    private static final int MAX_DIGITS = 18;
    private static final long MAX_CHECKSUM = 0xFFFF_FFFFL;
    private static final long NOT_FAST = -1;
    /** {@code ,{"?":[[} as a little-endian word: what follows the channel id of a one-level update, its side's key at byte 3. */
    private static final long UPDATE_HEAD = littleEndian(",{\"\0\":[[");
    private static final int UPDATE_KEY_BYTE = 3;
    private static final long UPDATE_KEY_MASK = 0xFFL << (8 * UPDATE_KEY_BYTE);
    /** {@code "]],"c":} as a little-endian word: what follows the time of a one-level update's level. */
    private static final long UPDATE_LEVEL_END = littleEndian("\"]],\"c\":");
    /** The shortest one-level update after the channel id: {@code ,{"b":[["1","1","ssssssssss.ffffff"]],"c":"1"},}. */
    private static final int UPDATE_MIN_LENGTH = 48;
    /** A one-level update's time: ten digits of seconds, the dot, six of microseconds. */
    private static final int TIME_DOT = 2;
    private static final int TIME_DECIMALS = 6;

    private final KrakenV1Channels channels = new KrakenV1Channels();
    private final KrakenLevels levels;
    private final KrakenV1BookWalk walk;
    private boolean snapshotKeys;
    private boolean updateKeys;
    private long checksum;
    private int depth;
    private long channelId;
    private int entry;
    private int nameOffset;
    private int nameLength;
    private int pairOffset;
    private int pairLength;
    private boolean scaled;
    private DirectBuffer buffer;
    private long fastMessages;
    private long templateMessages;
    private long generalMessages;
    /** The fast path's last digits read: their value and count (a decimal's: all its digits, and those after the dot). */
    private long runValue;
    private int runCount;

    /**
     * @param maxLevels the most levels one message may carry (more is a {@link KrakenMessageException}).
     */
    public KrakenV1BookDecoder(final int maxLevels)
    {
        this.levels = new KrakenLevels(maxLevels);
        this.walk = new KrakenV1BookWalk(levels);
    }

    /**
     * Learns a book channel from its {@code subscriptionStatus} ("subscribed"): its messages will
     * carry this id, this channel name and this pair. A channel name that is not a Kraken book
     * ({@code book-10|25|100|500|1000}) or an id outside {@code int} is ignored. Allocates while
     * the channel table grows.
     */
    public void subscribed(final long channelId, final DirectBuffer buffer, final int nameOffset, final int nameLength,
        final int pairOffset, final int pairLength)
    {
        final int depth = KrakenV1BookWalk.depthOf(buffer, nameOffset, nameLength);
        if (depth > 0)
        {
            channels.subscribed(channelId, depth, buffer, nameOffset, nameLength, pairOffset, pairLength);
        }
    }

    /**
     * Binds a learnt channel to its pair's instrument, which turns on the fast path for it; an
     * unknown channel id changes nothing.
     *
     * @param channelId     the channel.
     * @param key           the caller's key for the instrument ({@link #channelKey()} returns it), at least 0.
     * @param priceExponent the instrument's price exponent.
     * @param sizeExponent  the instrument's size exponent.
     */
    public void bind(final long channelId, final int key, final int priceExponent, final int sizeExponent)
    {
        final int entry = channels.find(channelId);
        if (entry != KrakenV1Channels.UNKNOWN)
        {
            channels.bind(entry, key, priceExponent, sizeExponent);
        }
    }

    /** Forgets a channel ("unsubscribed"). */
    public void unsubscribed(final long channelId)
    {
        channels.unsubscribed(channelId);
    }

    /** Forgets every channel: a new connection numbers its channels anew. */
    public void clearChannels()
    {
        channels.clear();
    }

    /**
     * Decodes one frame.
     *
     * @return {@link #BOOK} or {@link #NOT_A_BOOK}.
     * @throws JsonFormatException    if the JSON is malformed or truncated.
     * @throws KrakenMessageException if it is a book message of an unknown shape, or its channel
     *                                name or pair is not its channel id's.
     */
    public int decode(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        if (decodeFast(buffer, offset, length))
        {
            fastMessages++;
            return BOOK;
        }
        final int decoded = decodeGeneral(buffer, offset, length);
        if (decoded == BOOK)
        {
            generalMessages++;
        }
        return decoded;
    }

    /** @return book messages the fast path decoded. */
    public long fastPathMessages()
    {
        return fastMessages;
    }

    /** @return book messages of the fast path read whole as a one-level update (Kraken's usual message); the rest took its loop. */
    long templateMessages()
    {
        return templateMessages;
    }

    /** @return book messages the general path decoded (unknown channel or a deviation from the usual shape). */
    public long generalPathMessages()
    {
        return generalMessages;
    }

    /**
     * Scales the levels of a book message the general path read ({@link #isScaled()} false) at
     * the pair's exponents, times at ns; afterwards {@link #price}, {@link #size} and
     * {@link #timeNs} are valid. The feed leaves this to its book sync, which also checks the
     * pair's wire decimals.
     *
     * @return true if every price is positive and every volume at least 0.
     * @throws DecimalFormatException if a value is not an exact decimal at its exponent.
     */
    public boolean scale(final int priceExponent, final int sizeExponent)
    {
        return levels.resolve(buffer, priceExponent, sizeExponent, KrakenLevels.UNKNOWN_DECIMALS, KrakenLevels.UNKNOWN_DECIMALS) ==
            KrakenLevels.RESOLVED;
    }

    /** @return true if the levels are mantissas already (fast path); else byte ranges to {@link #scale}. */
    public boolean isScaled()
    {
        return scaled;
    }

    /** @return true for a snapshot ({@code as}/{@code bs}), false for an update ({@code a}/{@code b}). */
    public boolean isSnapshot()
    {
        return snapshotKeys;
    }

    /** @return the depth of the channel name ({@code book-1000} gives 1000). */
    public int depth()
    {
        return depth;
    }

    /** @return the CRC32 the message carries ({@code "c"}), or -1 if none. */
    public long checksum()
    {
        return checksum;
    }

    /** @return the message's channel id, or -1 if it is not a plain integer. */
    public long channelId()
    {
        return channelId;
    }

    /** @return the key {@link #bind} gave the message's channel, or {@link #UNBOUND}. */
    public int channelKey()
    {
        return entry == KrakenV1Channels.UNKNOWN ? UNBOUND : channels.key(entry);
    }

    /** @return the offset of the channel name's text in the frame's buffer. */
    public int nameOffset()
    {
        return nameOffset;
    }

    /** @return the length of the channel name's text. */
    public int nameLength()
    {
        return nameLength;
    }

    /** @return the offset of the pair's text in the frame's buffer. */
    public int pairOffset()
    {
        return pairOffset;
    }

    /** @return the length of the pair's text. */
    public int pairLength()
    {
        return pairLength;
    }

    /** @return levels in the message, asks and bids in wire order. */
    public int levelCount()
    {
        return levels.count();
    }

    /** @return level {@code i}'s side. */
    public Side side(final int i)
    {
        return levels.side(i);
    }

    /** @return level {@code i}'s price mantissa; valid when {@link #isScaled()}. */
    public long price(final int i)
    {
        return levels.price(i);
    }

    /** @return level {@code i}'s volume mantissa (0 deletes); valid when {@link #isScaled()}. */
    public long size(final int i)
    {
        return levels.size(i);
    }

    /** @return level {@code i}'s time, epoch ns; valid when {@link #isScaled()}. */
    public long timeNs(final int i)
    {
        return levels.timeNs(i);
    }

    /** @return true if level {@code i} carries the republish flag {@code "r"}. */
    public boolean isRepublished(final int i)
    {
        return levels.isRepublished(i);
    }

    /** @return the offset of level {@code i}'s price text (as the checksum reads it). */
    public int priceOffset(final int i)
    {
        return levels.priceOffset(i);
    }

    /** @return the length of level {@code i}'s price text. */
    public int priceLength(final int i)
    {
        return levels.priceLength(i);
    }

    /** @return the offset of level {@code i}'s volume text (as the checksum reads it). */
    public int sizeOffset(final int i)
    {
        return levels.sizeOffset(i);
    }

    /** @return the length of level {@code i}'s volume text. */
    public int sizeLength(final int i)
    {
        return levels.sizeLength(i);
    }

    KrakenLevels levels()
    {
        return levels;
    }

    /** The fast path: true if the frame had the expected shape and a bound channel id, and is decoded. */
    private boolean decodeFast(final DirectBuffer buffer, final int offset, final int length)
    {
        buffer.boundsCheck(offset, length);
        final byte[] array = buffer.byteArray();
        final long base = buffer.addressOffset();
        final long end = base + offset + length;
        long p = base + offset;
        // a channel id with a leading zero is not JSON: the general path rejects it
        if (length < 16 || UnsafeApi.getByte(array, p) != '[' || UnsafeApi.getByte(array, p + 1) == '0')
        {
            return false;
        }
        final long idWord = KrakenDigitWords.word(array, p + 1);
        final int idDigits = KrakenDigitWords.digitRun(idWord);
        if (idDigits == 0 || idDigits == 8 || KrakenDigitWords.byteAt(idWord, idDigits) != ',')
        {
            return false;
        }
        final int entry = channels.findDigits(idWord, idDigits);
        if (entry == KrakenV1Channels.UNKNOWN || channels.key(entry) == UNBOUND)
        {
            return false;
        }
        p += idDigits + 1;
        final int priceExponent = channels.priceExponent(entry);
        final int sizeExponent = channels.sizeExponent(entry);
        levels.clear();
        levels.scaledAt(priceExponent, sizeExponent);
        if (oneLevelUpdate(array, base, p, end, entry, priceExponent, sizeExponent))
        {
            templateMessages++;
            return bound(entry);
        }
        levels.clear();
        levels.scaledAt(priceExponent, sizeExponent);
        snapshotKeys = false;
        updateKeys = false;
        checksum = -1;
        p++;
        do
        {
            if (p + 8 > end || UnsafeApi.getByte(array, p) != '{')
            {
                return false;
            }
            p++;
            int separator;
            do
            {
                if (p + 8 > end || UnsafeApi.getByte(array, p) != '"')
                {
                    return false;
                }
                final int key = UnsafeApi.getByte(array, p + 1);
                final boolean snapshotKey = UnsafeApi.getByte(array, p + 2) == 's';
                final long colon = snapshotKey ? p + 4 : p + 3;
                if (UnsafeApi.getByte(array, colon - 1) != '"' || UnsafeApi.getByte(array, colon) != ':')
                {
                    return false;
                }
                p = colon + 1;
                if (key == 'a' || key == 'b')
                {
                    snapshotKeys |= snapshotKey;
                    updateKeys |= !snapshotKey;
                    p = levelsFast(array, base, p, end, key == 'a' ? Side.ASK : Side.BID, priceExponent, sizeExponent);
                }
                else if (key == 'c' && !snapshotKey && checksum < 0)
                {
                    p = checksumFast(array, p, end);
                }
                else
                {
                    return false;
                }
                if (p == NOT_FAST)
                {
                    return false;
                }
                separator = UnsafeApi.getByte(array, p++);
            }
            while (separator == ',');
            if (separator != '}' || UnsafeApi.getByte(array, p++) != ',')
            {
                return false;
            }
        }
        while (UnsafeApi.getByte(array, p) == '{');
        if (snapshotKeys == updateKeys || !trailerMatches(array, base, p, end, entry))
        {
            return false;
        }
        return bound(entry);
    }

    /** The fast path read a message of a bound channel: its id, depth and key. @return true. */
    private boolean bound(final int entry)
    {
        this.channelId = channels.id(entry);
        this.entry = entry;
        this.depth = channels.depth(entry);
        this.scaled = true;
        return true;
    }

    /**
     * Kraken's usual update, read whole: one level of one side and the checksum,
     * {@code ,{"b":[["P","V","T"]],"c":"C"},"book-N","PAIR"]} from the comma after the channel id
     * (its punctuation compared a word at a time, its decimals read as the loop reads them). The
     * time (Kraken's ten digits of seconds, six of microseconds) and the checksum are read back
     * from the trailer, so that their loads and arithmetic do not wait for the price's and volume's
     * lengths; the volume must then end where the time starts. Any other byte (two levels or dicts,
     * the republish flag, another key order or time shape, a snapshot, ...) returns false before
     * anything is kept, and the frame is read again by the loop.
     *
     * @return true if the frame was exactly that and is decoded.
     */
    private boolean oneLevelUpdate(final byte[] array, final long base, final long p, final long end, final int entry,
        final int priceExponent, final int sizeExponent)
    {
        final long trailer = end - channels.trailerLength(entry);
        // at least the head, one-digit price, volume and checksum and the time: the words below stay inside the frame
        if (trailer < p + UPDATE_MIN_LENGTH || !trailerMatches(array, base, trailer, end, entry))
        {
            return false;
        }
        // from the trailer back: "},  the checksum's digits  "]],"c":"  the time
        final long checksumQuote = trailer - 3;
        final long checksumLow = KrakenDigitWords.word(array, checksumQuote - 8);
        final int lowDigits = KrakenDigitWords.digitRunBack(checksumLow);
        final long checksumHigh = KrakenDigitWords.word(array, checksumQuote - 16);
        final int highDigits = lowDigits == 8 ? KrakenDigitWords.digitRunBack(checksumHigh) : 0;
        final long checksumDigits = lowDigits + highDigits;
        final long checksumStart = checksumQuote - checksumDigits;
        final long timeQuote = checksumStart - 9;
        final long time = timeQuote - 17;
        if (lowDigits == 0 || highDigits > 2 || UnsafeApi.getByte(array, checksumQuote) != '"' ||
            UnsafeApi.getByte(array, trailer - 2) != '}' || UnsafeApi.getByte(array, trailer - 1) != ',' ||
            UnsafeApi.getByte(array, checksumStart - 1) != '"' ||
            KrakenDigitWords.word(array, timeQuote) != UPDATE_LEVEL_END)
        {
            return false;
        }
        final long checksumValue = highDigits == 0 ? KrakenDigitWords.value(checksumLow >>> ((8 - lowDigits) << 3), lowDigits) :
            KrakenDigitWords.value(checksumHigh >>> ((8 - highDigits) << 3), highDigits) * KrakenDigitWords.POWERS_OF_TEN[8] +
                KrakenDigitWords.value(checksumLow, 8);
        final long seconds = KrakenDigitWords.word(array, time);
        final long fraction = KrakenDigitWords.withoutByte(KrakenDigitWords.word(array, time + 8), KrakenDigitWords.word(array, time + 9),
            TIME_DOT);
        if (checksumValue > MAX_CHECKSUM || KrakenDigitWords.digitRun(seconds) != 8 || KrakenDigitWords.digitRun(fraction) != 8 ||
            UnsafeApi.getByte(array, time + 8 + TIME_DOT) != '.')
        {
            return false;
        }
        final long timeNs = scale(KrakenDigitWords.value(seconds, 8) * KrakenDigitWords.POWERS_OF_TEN[8] +
            KrakenDigitWords.value(fraction, 8), TIME_DECIMALS, TIME_EXPONENT);
        final long head = KrakenDigitWords.word(array, p);
        final int key = KrakenDigitWords.byteAt(head, UPDATE_KEY_BYTE);
        if ((head & ~UPDATE_KEY_MASK) != UPDATE_HEAD || key != 'a' && key != 'b' || UnsafeApi.getByte(array, p + 8) != '"')
        {
            return false;
        }
        final long price = p + 9;
        final long priceQuote = decimalFast(array, price, end);
        if (priceQuote == NOT_FAST || !isNextString(array, priceQuote, end))
        {
            return false;
        }
        final long priceDigits = runValue;
        final int priceDecimals = runCount;
        final long size = priceQuote + 3;
        final long sizeQuote = decimalFast(array, size, end);
        // the volume's closing quote and "," before the time read from the end
        if (sizeQuote == NOT_FAST || sizeQuote + 3 != time || !isNextString(array, sizeQuote, end))
        {
            return false;
        }
        final long sizeDigits = runValue;
        final int sizeDecimals = runCount;
        final long priceMantissa = scale(priceDigits, priceDecimals, priceExponent);
        final long sizeMantissa = scale(sizeDigits, sizeDecimals, sizeExponent);
        if (priceMantissa < 0 || sizeMantissa < 0 || timeNs < 0)
        {
            return false;
        }
        levels.addScaled(key == 'a' ? Side.ASK : Side.BID, (int)(price - base), (int)(priceQuote - price), priceDecimals, priceMantissa,
            (int)(size - base), (int)(sizeQuote - size), sizeDecimals, sizeMantissa, timeNs, false);
        checksum = checksumValue;
        snapshotKeys = false;
        updateKeys = true;
        return true;
    }

    /**
     * Reads one side's levels {@code [["p","v","t"(,"r")],...]} at {@code start}, scaling them.
     *
     * @return the address after the side's {@code ']'} (at least 8 bytes before the end), or {@link #NOT_FAST}.
     */
    private long levelsFast(final byte[] array, final long base, final long start, final long end, final Side side,
        final int priceExponent, final int sizeExponent)
    {
        if (UnsafeApi.getByte(array, start) != '[')
        {
            return NOT_FAST;
        }
        long p = start;
        int separator;
        do
        {
            // p is at the '[' or ',' before the level
            if (p + 8 > end || UnsafeApi.getByte(array, p + 1) != '[' || UnsafeApi.getByte(array, p + 2) != '"' || levels.isFull())
            {
                return NOT_FAST;
            }
            final long price = p + 3;
            final long priceQuote = decimalFast(array, price, end);
            if (priceQuote == NOT_FAST || !isNextString(array, priceQuote, end))
            {
                return NOT_FAST;
            }
            final long priceDigits = runValue;
            final int priceDecimals = runCount;
            final long priceMantissa = scale(priceDigits, priceDecimals, priceExponent);
            final long size = priceQuote + 3;
            final long sizeQuote = decimalFast(array, size, end);
            if (priceMantissa < 0 || sizeQuote == NOT_FAST || !isNextString(array, sizeQuote, end))
            {
                return NOT_FAST;
            }
            final long sizeDigits = runValue;
            final int sizeDecimals = runCount;
            final long sizeMantissa = scale(sizeDigits, sizeDecimals, sizeExponent);
            final long time = sizeQuote + 3;
            final long timeQuote = timeFast(array, time, end);
            if (sizeMantissa < 0 || timeQuote == NOT_FAST || timeQuote + 8 > end)
            {
                return NOT_FAST;
            }
            final long timeNs = scale(runValue, runCount, TIME_EXPONENT);
            if (timeNs < 0)
            {
                return NOT_FAST;
            }
            p = timeQuote + 1;
            final boolean republish = UnsafeApi.getByte(array, p) == ',' && UnsafeApi.getByte(array, p + 1) == '"' &&
                UnsafeApi.getByte(array, p + 2) == 'r' && UnsafeApi.getByte(array, p + 3) == '"';
            if (republish)
            {
                p += 4;
                if (p + 8 > end)
                {
                    return NOT_FAST;
                }
            }
            if (UnsafeApi.getByte(array, p) != ']')
            {
                return NOT_FAST;
            }
            levels.addScaled(side, (int)(price - base), (int)(priceQuote - price), priceDecimals, priceMantissa,
                (int)(size - base), (int)(sizeQuote - size), sizeDecimals, sizeMantissa, timeNs, republish);
            separator = UnsafeApi.getByte(array, ++p);
        }
        while (separator == ',');
        return separator == ']' && p + 9 <= end ? p + 1 : NOT_FAST;
    }

    /** @return true if {@code ,"} follows the closing quote at {@code quote}, within the frame. */
    private static boolean isNextString(final byte[] array, final long quote, final long end)
    {
        return quote + 8 <= end && UnsafeApi.getByte(array, quote + 1) == ',' && UnsafeApi.getByte(array, quote + 2) == '"';
    }

    /** Reads the checksum string {@code "974942666"} at {@code p}; @return the address after it, or {@link #NOT_FAST}. */
    private long checksumFast(final byte[] array, final long p, final long end)
    {
        if (UnsafeApi.getByte(array, p) != '"')
        {
            return NOT_FAST;
        }
        final long quote = digitsFast(array, p + 1, end, '"');
        if (quote == NOT_FAST || runCount == 0 || runCount > 10 || runValue > MAX_CHECKSUM || quote + 8 > end)
        {
            return NOT_FAST;
        }
        checksum = runValue;
        return quote + 1;
    }

    /**
     * Reads a plain decimal {@code digits.digits"} at {@code p} into {@link #runValue} (all its
     * digits) and {@link #runCount} (how many follow the dot). A price or volume (1 to 7 digits
     * before the dot, at most 15 in all) is read as the dot-free digits of two words
     * ({@link KrakenDigitWords#withoutByte}); anything else as two digit runs ({@link #decimalInRuns}).
     *
     * @return the address of the closing quote, or {@link #NOT_FAST}.
     */
    private long decimalFast(final byte[] array, final long p, final long end)
    {
        if (p + 17 > end)
        {
            return decimalInRuns(array, p, end);
        }
        final long first = KrakenDigitWords.word(array, p);
        final int integerDigits = KrakenDigitWords.digitRun(first);
        if (integerDigits == 0 || integerDigits == 8 || KrakenDigitWords.byteAt(first, integerDigits) != '.')
        {
            return decimalInRuns(array, p, end);
        }
        final long high = KrakenDigitWords.withoutByte(first, KrakenDigitWords.word(array, p + 1), integerDigits);
        final int highDigits = KrakenDigitWords.digitRun(high);
        if (highDigits < 8)
        {
            if (highDigits == integerDigits || KrakenDigitWords.byteAt(high, highDigits) != '"')
            {
                return decimalInRuns(array, p, end);
            }
            runValue = KrakenDigitWords.value(high, highDigits);
            runCount = highDigits - integerDigits;
            return p + highDigits + 1;
        }
        final long low = KrakenDigitWords.word(array, p + 9);
        final int lowDigits = KrakenDigitWords.digitRun(low);
        if (lowDigits == 8 || KrakenDigitWords.byteAt(low, lowDigits) != '"')
        {
            return decimalInRuns(array, p, end);
        }
        final long highValue = KrakenDigitWords.value(high, 8);
        runValue = lowDigits == 0 ? highValue :
            highValue * KrakenDigitWords.POWERS_OF_TEN[lowDigits] + KrakenDigitWords.value(low, lowDigits);
        runCount = 8 + lowDigits - integerDigits;
        return p + 9 + lowDigits;
    }

    /**
     * Reads a level's time {@code seconds.fraction"} at {@code p} like {@link #decimalFast}: Kraken's
     * ten digits of seconds and six of microseconds (the seconds' last digits and the fraction
     * without the dot make the second word). Any other shape is left to {@link #decimalFast}.
     *
     * @return the address of the closing quote, or {@link #NOT_FAST}.
     */
    private long timeFast(final byte[] array, final long p, final long end)
    {
        if (p + 18 > end)
        {
            return decimalFast(array, p, end);
        }
        final long first = KrakenDigitWords.word(array, p);
        final long second = KrakenDigitWords.word(array, p + 8);
        final int moreIntegerDigits = KrakenDigitWords.digitRun(second);
        if (KrakenDigitWords.digitRun(first) != 8 || moreIntegerDigits == 0 || moreIntegerDigits == 8 ||
            KrakenDigitWords.byteAt(second, moreIntegerDigits) != '.')
        {
            return decimalFast(array, p, end);
        }
        final long rest = KrakenDigitWords.withoutByte(second, KrakenDigitWords.word(array, p + 9), moreIntegerDigits);
        if (KrakenDigitWords.digitRun(rest) != 8 || UnsafeApi.getByte(array, p + 17) != '"')
        {
            return decimalFast(array, p, end);
        }
        runValue = KrakenDigitWords.value(first, 8) * KrakenDigitWords.POWERS_OF_TEN[8] + KrakenDigitWords.value(rest, 8);
        runCount = 8 - moreIntegerDigits;
        return p + 17;
    }

    /**
     * Reads a plain decimal {@code digits.digits"} at {@code p} as two digit runs ({@link #digitsFast}),
     * into {@link #runValue} and {@link #runCount} as {@link #decimalFast} does.
     *
     * @return the address of the closing quote, or {@link #NOT_FAST}.
     */
    private long decimalInRuns(final byte[] array, final long p, final long end)
    {
        final long dot = digitsFast(array, p, end, '.');
        if (dot == NOT_FAST || runCount == 0)
        {
            return NOT_FAST;
        }
        final long integer = runValue;
        final int integerDigits = runCount;
        final long quote = digitsFast(array, dot + 1, end, '"');
        final int fractionDigits = runCount;
        if (quote == NOT_FAST || fractionDigits == 0 || integerDigits + fractionDigits > MAX_DIGITS)
        {
            return NOT_FAST;
        }
        runValue = integer * KrakenDigitWords.POWERS_OF_TEN[fractionDigits] + runValue;
        return quote;
    }

    /**
     * Reads at most 15 digits at {@code p} (one or two words) that {@code terminator} ends: their
     * value into {@link #runValue}, their count into {@link #runCount}.
     *
     * @return the address of the terminator, or {@link #NOT_FAST} if another byte ends the digits,
     * there are more, or the words would reach past the frame.
     */
    private long digitsFast(final byte[] array, final long p, final long end, final int terminator)
    {
        if (p + 16 > end)
        {
            return NOT_FAST;
        }
        long word = KrakenDigitWords.word(array, p);
        int run = KrakenDigitWords.digitRun(word);
        long value = 0;
        int digits = 0;
        if (run == 8)
        {
            value = KrakenDigitWords.value(word, 8);
            if (UnsafeApi.getByte(array, p + 8) == terminator)
            {
                // exactly eight digits (a volume's fraction): the terminator needs no second word
                runValue = value;
                runCount = 8;
                return p + 8;
            }
            digits = 8;
            word = KrakenDigitWords.word(array, p + 8);
            run = KrakenDigitWords.digitRun(word);
            if (run == 8)
            {
                return NOT_FAST;
            }
        }
        if (run > 0)
        {
            value = value * KrakenDigitWords.POWERS_OF_TEN[run] + KrakenDigitWords.value(word, run);
            digits += run;
        }
        if (KrakenDigitWords.byteAt(word, run) != terminator)
        {
            return NOT_FAST;
        }
        runValue = value;
        runCount = digits;
        return p + digits;
    }

    /** @return {@code digits * 10^-decimals} in units of {@code 10^exponent}, or -1 if not exact or out of range. */
    private static long scale(final long digits, final int decimals, final int exponent)
    {
        final int shift = -exponent - decimals;
        if (shift < 0 || shift > MAX_DIGITS)
        {
            return -1;
        }
        final long power = KrakenDigitWords.POWERS_OF_TEN[shift];
        final long scaled = digits * power;
        return Math.multiplyHigh(digits, power) == 0 && scaled >= 0 ? scaled : -1;
    }

    /**
     * @return true if {@code "name","pair"]} from {@code p} to {@code end} is the channel's name and
     * pair (byte for byte, as its subscription status sent them); sets their ranges.
     */
    private boolean trailerMatches(final byte[] array, final long base, final long p, final long end, final int entry)
    {
        if (!channels.isTrailer(entry, array, p, end))
        {
            return false;
        }
        this.nameOffset = (int)(p + 1 - base);
        this.nameLength = channels.nameLength(entry);
        this.pairOffset = nameOffset + nameLength + 3;
        this.pairLength = channels.pairLength(entry);
        return true;
    }

    /** @return eight ASCII characters as the little-endian word {@link KrakenDigitWords#word} loads them. */
    private static long littleEndian(final String eight)
    {
        long word = 0;
        for (int i = 7; i >= 0; i--)
        {
            word = word << 8 | eight.charAt(i);
        }
        return word;
    }

    /** The general path ({@link KrakenV1BookWalk}), then the pair and name checked against a channel id learnt. */
    private int decodeGeneral(final DirectBuffer buffer, final int offset, final int length)
    {
        if (walk.walk(buffer, offset, length) == NOT_A_BOOK)
        {
            return NOT_A_BOOK;
        }
        snapshotKeys = walk.isSnapshot();
        updateKeys = !snapshotKeys;
        checksum = walk.checksum();
        depth = walk.depth();
        channelId = walk.channelId();
        nameOffset = walk.nameOffset();
        nameLength = walk.nameLength();
        pairOffset = walk.pairOffset();
        pairLength = walk.pairLength();
        scaled = false;
        entry = channels.find(channelId);
        if (entry != KrakenV1Channels.UNKNOWN && (!channels.isName(entry, buffer, nameOffset, nameLength) ||
            !channels.isPair(entry, buffer, pairOffset, pairLength)))
        {
            throw new KrakenMessageException("channel " + channelId + " is " + channels.name(entry) + ' ' + channels.pair(entry) +
                ", not " + buffer.getStringWithoutLengthAscii(nameOffset, nameLength) + ' ' +
                buffer.getStringWithoutLengthAscii(pairOffset, pairLength));
        }
        return BOOK;
    }
}
