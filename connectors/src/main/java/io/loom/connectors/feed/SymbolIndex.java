package io.loom.connectors.feed;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Maps a venue's symbols, as the ASCII bytes they arrive in ("ETHUSDT", "XBT/USD"), to ints (an
 * instrument id, or any value the caller chooses) without creating a String: decoders look up the
 * symbol field of every message straight in the frame buffer. Open addressing with linear probing
 * over a power-of-two table; keys are kept in one byte array. Hashing and comparing read eight
 * bytes at a time (a symbol is one or two longs, the last one masked), not byte by byte.
 *
 * <p>Thread-safety: not thread-safe. Fill it at set-up ({@link #put}, which allocates when it
 * grows); look-ups ({@link #get}) allocate nothing and may run on one thread at a time.
 */
public final class SymbolIndex
{
    /** What {@link #get} returns for a symbol that is not in the index. */
    public static final int MISSING = Integer.MIN_VALUE;

    private int[] keyOffsets = new int[16];
    private int[] keyLengths = new int[16];
    private int[] values = new int[16];
    private boolean[] used = new boolean[16];
    private byte[] keys = new byte[256];
    private final UnsafeBuffer keyBuffer = new UnsafeBuffer(keys);
    private int keyBytes;
    private int size;

    /**
     * Adds or replaces a symbol.
     *
     * @param symbol the symbol as the venue sends it (ASCII).
     * @param value  what {@link #get} returns for it; not {@link #MISSING}.
     */
    public void put(final String symbol, final int value)
    {
        if (value == MISSING)
        {
            throw new IllegalArgumentException("MISSING is reserved");
        }
        final byte[] key = symbol.getBytes(StandardCharsets.US_ASCII);
        if ((size + 1) * 2 > used.length)
        {
            rehash(used.length * 2);
        }
        final int slot = find(key, 0, key.length, hash(new UnsafeBuffer(key), 0, key.length));
        if (used[slot])
        {
            values[slot] = value;
            return;
        }
        if (keyBytes + key.length > keys.length)
        {
            keys = Arrays.copyOf(keys, Math.max(keys.length * 2, keyBytes + key.length));
            keyBuffer.wrap(keys);
        }
        System.arraycopy(key, 0, keys, keyBytes, key.length);
        used[slot] = true;
        keyOffsets[slot] = keyBytes;
        keyLengths[slot] = key.length;
        values[slot] = value;
        keyBytes += key.length;
        size++;
    }

    /**
     * Looks a symbol up where it lies in a buffer.
     *
     * @param buffer holds the symbol.
     * @param offset where it starts.
     * @param length its length in bytes.
     * @return its value, or {@link #MISSING}.
     */
    public int get(final DirectBuffer buffer, final int offset, final int length)
    {
        final int mask = used.length - 1;
        int slot = hash(buffer, offset, length) & mask;
        while (used[slot])
        {
            if (keyLengths[slot] == length && sameBytes(buffer, offset, keyOffsets[slot], length))
            {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return MISSING;
    }

    /** @return how many symbols are indexed. */
    public int size()
    {
        return size;
    }

    private boolean sameBytes(final DirectBuffer buffer, final int offset, final int keyOffset, final int length)
    {
        for (int i = 0; i < length; i += Long.BYTES)
        {
            final int bytes = Math.min(Long.BYTES, length - i);
            if (word(buffer, offset + i, bytes) != word(keyBuffer, keyOffset + i, bytes))
            {
                return false;
            }
        }
        return true;
    }

    private int find(final byte[] key, final int offset, final int length, final int hash)
    {
        final int mask = used.length - 1;
        int slot = hash & mask;
        while (used[slot])
        {
            if (keyLengths[slot] == length && Arrays.equals(keys, keyOffsets[slot], keyOffsets[slot] + length, key, offset, offset + length))
            {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void rehash(final int capacity)
    {
        final int[] oldOffsets = keyOffsets;
        final int[] oldLengths = keyLengths;
        final int[] oldValues = values;
        final boolean[] oldUsed = used;
        keyOffsets = new int[capacity];
        keyLengths = new int[capacity];
        values = new int[capacity];
        used = new boolean[capacity];
        for (int i = 0; i < oldUsed.length; i++)
        {
            if (oldUsed[i])
            {
                final int slot = find(keys, oldOffsets[i], oldLengths[i], hash(keyBuffer, oldOffsets[i], oldLengths[i]));
                used[slot] = true;
                keyOffsets[slot] = oldOffsets[i];
                keyLengths[slot] = oldLengths[i];
                values[slot] = oldValues[i];
            }
        }
    }

    /** Eight bytes at a time ({@link #word}), each a multiply-xorshift step. */
    private static int hash(final DirectBuffer buffer, final int offset, final int length)
    {
        long hash = 0x9E3779B97F4A7C15L ^ length;
        for (int i = 0; i < length; i += Long.BYTES)
        {
            hash = (hash ^ word(buffer, offset + i, Math.min(Long.BYTES, length - i))) * 0xC2B2AE3D27D4EB4FL;
            hash ^= hash >>> 29;
        }
        hash ^= hash >>> 32;
        return (int)(hash ^ (hash >>> 16));
    }

    /**
     * @return the {@code length} (1 to 8) bytes at {@code offset} as a little-endian long, zero-extended:
     *         one read, masked, where the buffer has eight bytes there, else byte by byte.
     */
    private static long word(final DirectBuffer buffer, final int offset, final int length)
    {
        if (offset + Long.BYTES <= buffer.capacity())
        {
            final long word = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
            return length == Long.BYTES ? word : word & ((1L << (length << 3)) - 1);
        }
        long word = 0;
        for (int i = length - 1; i >= 0; i--)
        {
            word = (word << 8) | (buffer.getByte(offset + i) & 0xFF);
        }
        return word;
    }
}
