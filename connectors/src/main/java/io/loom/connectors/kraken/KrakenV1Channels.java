package io.loom.connectors.kraken;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.collections.Int2IntHashMap;

/**
 * The book channels of one Kraken v1 connection, as its {@code subscriptionStatus} events name
 * them: channel id to channel name ({@code book-1000}), depth and pair, and, once the pair's
 * instrument is known, its key and exponents. v1 book messages name their pair only after the
 * levels, so this is what lets {@link KrakenV1BookDecoder} scale the levels while it reads them.
 *
 * <pre>
 *   {"channelID":1664,"channelName":"book-1000","event":"subscriptionStatus","pair":"WAVES/EUR",...}
 *        -> 1664: book-1000, depth 1000, WAVES/EUR, key/exponents once {@link #bind bound}
 * </pre>
 *
 * A book message's channel id is found by its digits as the frame carries them
 * ({@link #findDigits}): a small open-addressing cache from that text to the entry, which the id's
 * hash map fills on a miss, so the steady state neither computes the id's value nor looks it up.
 *
 * <p>Thread-safety: not thread-safe; owned by one decoder. Learning a channel allocates only
 * while the table grows (or for a longer name); look-ups allocate nothing.
 */
final class KrakenV1Channels
{
    /** What {@link #find} returns for a channel id that is not known. */
    static final int UNKNOWN = -1;
    /** The key of a channel whose instrument is not bound yet. */
    static final int UNBOUND = -1;

    private static final long BYTE_ARRAY_BASE = UnsafeApi.arrayBaseOffset(byte[].class);
    /** Slots of the id-text cache (a power of two); it is filled to half at most, later ids are found by value. */
    private static final int ID_CACHE_BITS = 6;
    private static final long GOLDEN_GAMMA = 0x9E37_79B9_7F4A_7C15L;

    /** Per slot: an id's digits as a little-endian word (0: empty, a digit is never 0), and its entry. */
    private final long[] cachedIdTexts = new long[1 << ID_CACHE_BITS];
    private final int[] cachedEntries = new int[1 << ID_CACHE_BITS];
    private int cachedIds;

    private final Int2IntHashMap entryById = new Int2IntHashMap(UNKNOWN);
    private byte[][] names = new byte[0][];
    private byte[][] pairs = new byte[0][];
    /** Per entry, how its book messages end: {@code "book-1000","XBT/USD"]}. */
    private byte[][] trailers = new byte[0][];
    private int[] nameLengths = new int[0];
    private int[] pairLengths = new int[0];
    private int[] depths = new int[0];
    private long[] ids = new long[0];
    private int[] keys = new int[0];
    private int[] priceExponents = new int[0];
    private int[] sizeExponents = new int[0];
    private boolean[] used = new boolean[0];

    /**
     * @param channelId a channel id as a message carries it.
     * @return its entry, or {@link #UNKNOWN}.
     */
    int find(final long channelId)
    {
        return channelId < 0 || channelId > Integer.MAX_VALUE ? UNKNOWN : entryById.get((int)channelId);
    }

    /**
     * {@link #find} by the id's text: what a book message carries, {@code [336,} -> {@code 336}.
     *
     * @param word   eight bytes from {@link KrakenDigitWords#word} that start with the id's digits
     *               (no leading zero).
     * @param digits how many, 1 to 7.
     * @return the entry of the id those digits spell, or {@link #UNKNOWN}.
     */
    int findDigits(final long word, final int digits)
    {
        final long text = word & (-1L >>> ((8 - digits) << 3));
        final int mask = cachedIdTexts.length - 1;
        int slot = (int)((text * GOLDEN_GAMMA) >>> (64 - ID_CACHE_BITS));
        long cached;
        while ((cached = cachedIdTexts[slot]) != 0)
        {
            if (cached == text)
            {
                return cachedEntries[slot];
            }
            slot = (slot + 1) & mask;
        }
        final int entry = find(KrakenDigitWords.value(word, digits));
        if (entry != UNKNOWN && cachedIds < cachedIdTexts.length / 2)
        {
            cachedIdTexts[slot] = text;
            cachedEntries[slot] = entry;
            cachedIds++;
        }
        return entry;
    }

    /**
     * Learns (or re-learns) a book channel, unbound. Ids outside {@code int} are not learnt.
     *
     * @param channelId the channel id of the subscription.
     * @param depth     the depth of its channel name.
     * @param buffer    holds the channel name and the pair.
     * @return its entry, or {@link #UNKNOWN} if the id is not learnt.
     */
    int subscribed(final long channelId, final int depth, final DirectBuffer buffer,
        final int nameOffset, final int nameLength, final int pairOffset, final int pairLength)
    {
        if (channelId < 0 || channelId > Integer.MAX_VALUE)
        {
            return UNKNOWN;
        }
        int entry = entryById.get((int)channelId);
        if (entry == UNKNOWN)
        {
            entry = freeEntry();
            entryById.put((int)channelId, entry);
        }
        forgetCachedIds();
        used[entry] = true;
        ids[entry] = channelId;
        names[entry] = copy(names[entry], buffer, nameOffset, nameLength);
        nameLengths[entry] = nameLength;
        pairs[entry] = copy(pairs[entry], buffer, pairOffset, pairLength);
        pairLengths[entry] = pairLength;
        final int trailerLength = nameLength + pairLength + 6;
        if (trailers[entry].length < trailerLength)
        {
            trailers[entry] = new byte[trailerLength];
        }
        final byte[] trailer = trailers[entry];
        trailer[0] = '"';
        buffer.getBytes(nameOffset, trailer, 1, nameLength);
        trailer[nameLength + 1] = '"';
        trailer[nameLength + 2] = ',';
        trailer[nameLength + 3] = '"';
        buffer.getBytes(pairOffset, trailer, nameLength + 4, pairLength);
        trailer[trailerLength - 2] = '"';
        trailer[trailerLength - 1] = ']';
        depths[entry] = depth;
        keys[entry] = UNBOUND;
        return entry;
    }

    /**
     * Binds a channel to its pair's instrument: its messages can then be scaled as they are read.
     *
     * @param entry         from {@link #find}.
     * @param key           the caller's key of the instrument (the feed's slot), at least 0.
     * @param priceExponent the instrument's price exponent.
     * @param sizeExponent  the instrument's size exponent.
     */
    void bind(final int entry, final int key, final int priceExponent, final int sizeExponent)
    {
        keys[entry] = key;
        priceExponents[entry] = priceExponent;
        sizeExponents[entry] = sizeExponent;
    }

    /** Forgets a channel (unsubscribed); an unknown id changes nothing. */
    void unsubscribed(final long channelId)
    {
        final int entry = find(channelId);
        if (entry != UNKNOWN)
        {
            entryById.remove((int)channelId);
            used[entry] = false;
            forgetCachedIds();
        }
    }

    /** Forgets every channel (a new connection numbers its channels anew). */
    void clear()
    {
        entryById.clear();
        Arrays.fill(used, false);
        forgetCachedIds();
    }

    /** @return the entry's channel id. */
    long id(final int entry)
    {
        return ids[entry];
    }

    int key(final int entry)
    {
        return keys[entry];
    }

    int depth(final int entry)
    {
        return depths[entry];
    }

    int priceExponent(final int entry)
    {
        return priceExponents[entry];
    }

    int sizeExponent(final int entry)
    {
        return sizeExponents[entry];
    }

    int nameLength(final int entry)
    {
        return nameLengths[entry];
    }

    /** @return the length of the entry's trailer {@code "name","pair"]} ({@link #isTrailer}). */
    int trailerLength(final int entry)
    {
        return nameLengths[entry] + pairLengths[entry] + 6;
    }

    int pairLength(final int entry)
    {
        return pairLengths[entry];
    }

    /**
     * Whether the bytes from {@code address} to {@code end} are how the entry's book messages end,
     * {@code "book-1000","XBT/USD"]}, compared eight bytes at a time.
     *
     * @param array   a heap buffer's array, or null off-heap.
     * @param address where the channel name's opening quote should be.
     * @param end     the address after the frame's last byte.
     * @return true if they are exactly the entry's channel name and pair, as its subscription status sent them.
     */
    boolean isTrailer(final int entry, final byte[] array, final long address, final long end)
    {
        final int length = trailerLength(entry);
        if (end - address != length)
        {
            return false;
        }
        final byte[] trailer = trailers[entry];
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            if (UnsafeApi.getLong(array, address + i) != UnsafeApi.getLong(trailer, BYTE_ARRAY_BASE + i))
            {
                return false;
            }
        }
        // the last (overlapping) eight bytes: a trailer has at least 14 ("book-10","X"])
        return i == length || UnsafeApi.getLong(array, end - 8) == UnsafeApi.getLong(trailer, BYTE_ARRAY_BASE + length - 8);
    }

    /** @return true if the bytes are the entry's channel name. */
    boolean isName(final int entry, final DirectBuffer buffer, final int offset, final int length)
    {
        return length == nameLengths[entry] && equals(names[entry], buffer, offset, length);
    }

    /** @return true if the bytes are the entry's pair. */
    boolean isPair(final int entry, final DirectBuffer buffer, final int offset, final int length)
    {
        return length == pairLengths[entry] && equals(pairs[entry], buffer, offset, length);
    }

    /** @return the entry's channel name, for messages (allocates). */
    String name(final int entry)
    {
        return new String(names[entry], 0, nameLengths[entry], StandardCharsets.US_ASCII);
    }

    /** @return the entry's pair, for messages (allocates). */
    String pair(final int entry)
    {
        return new String(pairs[entry], 0, pairLengths[entry], StandardCharsets.US_ASCII);
    }

    private int freeEntry()
    {
        for (int entry = 0; entry < used.length; entry++)
        {
            if (!used[entry])
            {
                return entry;
            }
        }
        final int entry = used.length;
        final int capacity = Math.max(16, entry * 2);
        names = Arrays.copyOf(names, capacity);
        pairs = Arrays.copyOf(pairs, capacity);
        trailers = Arrays.copyOf(trailers, capacity);
        for (int i = entry; i < capacity; i++)
        {
            names[i] = new byte[16];
            pairs[i] = new byte[16];
            trailers[i] = new byte[32];
        }
        nameLengths = Arrays.copyOf(nameLengths, capacity);
        pairLengths = Arrays.copyOf(pairLengths, capacity);
        depths = Arrays.copyOf(depths, capacity);
        ids = Arrays.copyOf(ids, capacity);
        keys = Arrays.copyOf(keys, capacity);
        priceExponents = Arrays.copyOf(priceExponents, capacity);
        sizeExponents = Arrays.copyOf(sizeExponents, capacity);
        used = Arrays.copyOf(used, capacity);
        return entry;
    }

    private void forgetCachedIds()
    {
        Arrays.fill(cachedIdTexts, 0);
        cachedIds = 0;
    }

    /** Copies the bytes into {@code into}, or into a larger array if they do not fit (allocates then). */
    private static byte[] copy(final byte[] into, final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = length <= into.length ? into : new byte[length];
        buffer.getBytes(offset, bytes, 0, length);
        return bytes;
    }

    private static boolean equals(final byte[] bytes, final DirectBuffer buffer, final int offset, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (bytes[i] != buffer.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }
}
