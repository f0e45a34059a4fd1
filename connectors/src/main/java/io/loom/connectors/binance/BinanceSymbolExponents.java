package io.loom.connectors.binance;

import org.agrona.DirectBuffer;

/**
 * The decimal exponents of a symbol, asked by a {@link BinanceMessageDecoder} as soon as it reads a
 * message's {@code s}, so the levels that follow it are read straight to mantissas in the same pass.
 * A symbol answered {@link #UNKNOWN} (not served yet, or a symbol after the levels) costs a second
 * pass in {@link BinanceMessageDecoder#parseDecimals}, nothing else.
 *
 * <p>Both exponents travel in one {@code long} ({@link #of}), so the answer allocates nothing.
 *
 * <p>Thread-safety: called on the decoder's thread only, during a decode.
 */
@FunctionalInterface
public interface BinanceSymbolExponents
{
    /** The answer for a symbol whose exponents are not known. */
    long UNKNOWN = Long.MIN_VALUE;

    /**
     * @param buffer holds the symbol.
     * @param offset where it starts.
     * @param length its length in bytes.
     * @return the symbol's {@link #of exponents}, or {@link #UNKNOWN}.
     */
    long exponentsOf(DirectBuffer buffer, int offset, int length);

    /**
     * @param priceExponent the instrument's price exponent.
     * @param sizeExponent  its size exponent.
     * @return both, as {@link #exponentsOf} answers them (not {@link #UNKNOWN} for any exponent above {@code Integer.MIN_VALUE}).
     */
    static long of(final int priceExponent, final int sizeExponent)
    {
        return ((long)priceExponent << Integer.SIZE) | (sizeExponent & 0xFFFF_FFFFL);
    }

    /**
     * @param exponents an answer other than {@link #UNKNOWN}.
     * @return its price exponent.
     */
    static int priceExponent(final long exponents)
    {
        return (int)(exponents >> Integer.SIZE);
    }

    /**
     * @param exponents an answer other than {@link #UNKNOWN}.
     * @return its size exponent.
     */
    static int sizeExponent(final long exponents)
    {
        return (int)exponents;
    }
}
