package io.loom.connectors.binance;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;

/**
 * The symbol a {@link BinanceFeed} found last, with its book's slot and exponents: a stream sends one
 * symbol message after message, so a symbol of at most {@value #MAX_BYTES} bytes is first compared
 * with it (its bytes as two little-endian words, zero past its length: two loads, no hash, probe or key
 * compare) and looked up only if it differs. Equal bytes and length are the same key, so the answer
 * is the look-up's; the feed remembers only a symbol it serves, and never removes a slot.
 *
 * <pre>
 *   isLast(b, o, l) ──true──▶ slot(), exponents()
 *        │false
 *        └──▶ the caller looks the symbol up ──found──▶ remember(slot, exponents)
 * </pre>
 *
 * <p>Thread-safety: not thread-safe; the feed's thread only. Allocates nothing.
 */
final class LastFoundSymbol
{
    /** The longest symbol remembered; a longer one is looked up every time. */
    static final int MAX_BYTES = 2 * Long.BYTES;

    private long low;
    private long high;
    /** -1 while nothing is remembered. */
    private int length = -1;
    private int slot;
    private long exponents;
    /** The symbol {@link #isLast} read last, for {@link #remember}; length -1 if it could not be read. */
    private long readLow;
    private long readHigh;
    private int readLength = -1;

    /**
     * @param buffer holds the symbol.
     * @param offset where it starts.
     * @param length its length in bytes.
     * @return true if it is the symbol remembered: then {@link #slot} and {@link #exponents} are its.
     */
    boolean isLast(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length > MAX_BYTES || offset > buffer.capacity() - MAX_BYTES)
        {
            readLength = -1; // too long, or too near its buffer's end for two word loads
            return false;
        }
        readLow = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN) & firstBytes(length);
        readHigh = length > Long.BYTES ? buffer.getLong(offset + Long.BYTES, ByteOrder.LITTLE_ENDIAN) & firstBytes(length - Long.BYTES) : 0;
        readLength = length;
        return readLow == low && readHigh == high && length == this.length;
    }

    /**
     * Remembers the symbol {@link #isLast} was just asked about (nothing if it could not be read).
     *
     * @param slot      its book's slot in the feed.
     * @param exponents its {@link BinanceSymbolExponents#of exponents}.
     */
    void remember(final int slot, final long exponents)
    {
        if (readLength >= 0)
        {
            low = readLow;
            high = readHigh;
            length = readLength;
            this.slot = slot;
            this.exponents = exponents;
        }
    }

    /** @return the remembered symbol's slot. */
    int slot()
    {
        return slot;
    }

    /** @return the remembered symbol's exponents. */
    long exponents()
    {
        return exponents;
    }

    /** @return a mask of a little-endian word's first {@code bytes} bytes (none if 0 or less, all if 8 or more). */
    private static long firstBytes(final int bytes)
    {
        return bytes >= Long.BYTES ? -1L : bytes <= 0 ? 0 : (1L << (bytes << 3)) - 1;
    }
}
