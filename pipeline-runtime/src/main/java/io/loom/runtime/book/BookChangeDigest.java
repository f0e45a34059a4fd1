package io.loom.runtime.book;

import io.loom.api.book.BookState;
import io.loom.api.event.Side;
import io.loom.api.instrument.Instrument;

import java.util.Arrays;

/**
 * A running 64-bit digest over the changes an order-book stage applies: what proves that a live
 * run and every replay of its journal, or of the capture it was served from, produced the same
 * output.
 *
 * <pre>
 *   per book (seeded with its instrument key), in the order the book got them:
 *     level set   ─▶ mix(LEVEL, side, price, quantity)
 *     clear       ─▶ mix(CLEAR)
 *     transition  ─▶ mix(STATE, state)
 *   digest = SEED + Σ over books of finish(book digest) − finish(instrument key)   (books never changed add 0)
 * </pre>
 *
 * <p>Why per book, then summed: a book's own changes come in an order its venue's rules fix
 * (sequence numbers, snapshot + diffs), so it is book output and belongs in the digest. The order
 * in which changes of <em>different</em> books interleave on the ring is transport timing: a REST
 * snapshot arrives on its own connection, and whether the connection fiber hands it to the feed
 * before or after the next WebSocket frame of another symbol varies from run to run and cannot be
 * recorded faithfully (the recorder saw one interleaving, a live run against the simulator
 * another). Summing per-book digests makes the digest blind to that interleaving and to nothing
 * else: every book still gets every change, in order, or the digest differs.
 *
 * <p>Instruments enter as a key hashed from venue, symbol and exponents ({@link #instrumentKey}),
 * never as their interned id, so two runs that interned instruments in a different order still
 * agree. Each value is folded in with a multiply-rotate step (the murmur3/xxHash family's mixing
 * constants), and a book's digest is avalanched (murmur3's finaliser) before it is summed; the
 * digest is not a cryptographic hash.
 *
 * <p>Cost: a change only folds its values into its book's running hash; the book's finished hash
 * enters the sum when the digest is next read ({@link #value()}, once a message in the stage),
 * so a message of many levels of one book pays the finaliser once.
 *
 * <p>Thread-safety: not thread-safe; the stage's thread updates and reads it. Allocates only when
 * a book is added beyond the current capacity.
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

    private long[] books = new long[0];
    private long[] finished = new long[0];
    /** Books changed since the digest was last read, whose finished hash is not yet in {@link #digest}. */
    private int[] unsettled = new int[0];
    private boolean[] isUnsettled = new boolean[0];
    private int unsettledCount;
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
     * Starts digesting an instrument's book; call before its first change.
     *
     * @param instrumentId  the interned id the other methods are called with.
     * @param instrumentKey its {@link #instrumentKey}.
     */
    public void addBook(final int instrumentId, final long instrumentKey)
    {
        if (instrumentId >= books.length)
        {
            final int capacity = Math.max(instrumentId + 1, 2 * books.length);
            books = Arrays.copyOf(books, capacity);
            finished = Arrays.copyOf(finished, capacity);
            unsettled = Arrays.copyOf(unsettled, capacity);
            isUnsettled = Arrays.copyOf(isUnsettled, capacity);
        }
        books[instrumentId] = instrumentKey;
        finished[instrumentId] = finish(instrumentKey);
    }

    /**
     * A level was set (quantity 0 removes it).
     *
     * @param instrumentId the book's instrument, added with {@link #addBook}.
     * @param side         BID or ASK.
     * @param price        the price mantissa.
     * @param quantity     the quantity mantissa.
     */
    public void onLevel(final int instrumentId, final Side side, final long price, final long quantity)
    {
        onLevels(instrumentId, level(bookDigest(instrumentId), side, price, quantity));
    }

    /**
     * A book's running digest, for a caller that folds a run of its levels with {@link #level} (in
     * locals, without this object's arrays) and hands the result back with {@link #onLevels}; no
     * other change of that book may come in between.
     *
     * @param instrumentId the book's instrument, added with {@link #addBook}.
     * @return its running digest (not finished).
     */
    public long bookDigest(final int instrumentId)
    {
        return books[instrumentId];
    }

    /**
     * Folds a level set into a book's running digest: {@code onLevel(id, side, price, quantity)} is
     * {@code onLevels(id, level(bookDigest(id), side, price, quantity))}.
     *
     * @param bookDigest the book's running digest so far.
     * @param side       BID or ASK.
     * @param price      the price mantissa.
     * @param quantity   the quantity mantissa.
     * @return the running digest with the level folded in.
     */
    public static long level(final long bookDigest, final Side side, final long price, final long quantity)
    {
        return mix(mix(mix(mix(bookDigest, LEVEL), side.ordinal()), price), quantity);
    }

    /**
     * Levels were set: the book's running digest is now {@code bookDigest}, as {@link #level} folded it
     * from {@link #bookDigest(int)}.
     *
     * @param instrumentId the book's instrument, added with {@link #addBook}.
     * @param bookDigest   its running digest after the levels.
     */
    public void onLevels(final int instrumentId, final long bookDigest)
    {
        update(instrumentId, bookDigest);
    }

    /**
     * A book was cleared for a new snapshot.
     *
     * @param instrumentId the book's instrument, added with {@link #addBook}.
     */
    public void onClear(final int instrumentId)
    {
        update(instrumentId, mix(books[instrumentId], CLEAR));
    }

    /**
     * A book moved into a new state.
     *
     * @param instrumentId the book's instrument, added with {@link #addBook}.
     * @param state        the state it entered.
     */
    public void onState(final int instrumentId, final BookState state)
    {
        update(instrumentId, mix(mix(books[instrumentId], STATE), state.ordinal()));
    }

    /** @return the digest so far (folding in the books changed since the last call). */
    public long value()
    {
        for (int i = 0; i < unsettledCount; i++)
        {
            final int instrumentId = unsettled[i];
            final long next = finish(books[instrumentId]);
            digest += next - finished[instrumentId];
            finished[instrumentId] = next;
            isUnsettled[instrumentId] = false;
        }
        unsettledCount = 0;
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

    private void update(final int instrumentId, final long bookDigest)
    {
        books[instrumentId] = bookDigest;
        if (!isUnsettled[instrumentId])
        {
            isUnsettled[instrumentId] = true;
            unsettled[unsettledCount++] = instrumentId;
        }
    }

    private static long mix(final long hash, final long value)
    {
        return Long.rotateLeft(hash ^ (value * PRIME_2), 31) * PRIME_1;
    }

    /** murmur3's 64-bit finaliser: every input bit flips about half the output bits, so summed books do not cancel. */
    private static long finish(final long hash)
    {
        long h = hash;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 33);
    }
}
