package io.loom.runtime.book;

import io.loom.api.book.BookState;
import io.loom.api.event.Side;
import io.loom.api.instrument.Instrument;

/**
 * A running 64-bit digest over the changes an order-book stage applies, in order: what proves that
 * a live run and every replay of its journal produced the same output.
 *
 * <pre>
 *   level set   ─▶ mix(LEVEL, instrumentKey, side, price, quantity)
 *   clear       ─▶ mix(CLEAR, instrumentKey)
 *   transition  ─▶ mix(STATE, instrumentKey, state)
 * </pre>
 *
 * <p>Instruments enter as a key hashed from venue, symbol and exponents ({@link #instrumentKey}),
 * never as their interned id, so two runs that interned instruments in a different order still
 * agree. Each value is folded in with a multiply-rotate step (the murmur3/xxHash family's mixing
 * constants); the digest is order-sensitive and is not a cryptographic hash.
 *
 * <p>Thread-safety: not thread-safe; the stage's thread updates it. Allocates nothing.
 */
public final class BookChangeDigest
{
    /** The digest before any change. */
    public static final long SEED = 0x4C6F6F6D44696731L;

    private static final long PRIME_1 = 0x9E3779B185EBCA87L;
    private static final long PRIME_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long LEVEL = 1;
    private static final long CLEAR = 2;
    private static final long STATE = 3;

    private long digest = SEED;

    /**
     * The key an instrument enters the digest with.
     *
     * @param instrument the instrument.
     * @return a 64-bit hash of its venue code, symbol and exponents.
     */
    public static long instrumentKey(final Instrument instrument)
    {
        long key = SEED;
        final String venue = instrument.venue().code();
        for (int i = 0; i < venue.length(); i++)
        {
            key = mix(key, venue.charAt(i));
        }
        key = mix(key, '/');
        final String symbol = instrument.symbol();
        for (int i = 0; i < symbol.length(); i++)
        {
            key = mix(key, symbol.charAt(i));
        }
        return mix(mix(key, instrument.priceExponent()), instrument.sizeExponent());
    }

    /**
     * A level was set (quantity 0 removes it).
     *
     * @param instrumentKey the book's {@link #instrumentKey}.
     * @param side          BID or ASK.
     * @param price         the price mantissa.
     * @param quantity      the quantity mantissa.
     */
    public void onLevel(final long instrumentKey, final Side side, final long price, final long quantity)
    {
        digest = mix(mix(mix(mix(mix(digest, LEVEL), instrumentKey), side.ordinal()), price), quantity);
    }

    /**
     * A book was cleared for a new snapshot.
     *
     * @param instrumentKey the book's {@link #instrumentKey}.
     */
    public void onClear(final long instrumentKey)
    {
        digest = mix(mix(digest, CLEAR), instrumentKey);
    }

    /**
     * A book moved into a new state.
     *
     * @param instrumentKey the book's {@link #instrumentKey}.
     * @param state         the state it entered.
     */
    public void onState(final long instrumentKey, final BookState state)
    {
        digest = mix(mix(mix(digest, STATE), instrumentKey), state.ordinal());
    }

    /** @return the digest so far. */
    public long value()
    {
        return digest;
    }

    /**
     * Formats a digest as CLIs print it.
     *
     * @param digest a digest.
     * @return 16 lowercase hex digits.
     */
    public static String hex(final long digest)
    {
        return String.format("%016x", digest);
    }

    private static long mix(final long hash, final long value)
    {
        return Long.rotateLeft(hash ^ (value * PRIME_2), 31) * PRIME_1;
    }
}
