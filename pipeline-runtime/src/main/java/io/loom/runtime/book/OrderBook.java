package io.loom.runtime.book;

import io.loom.api.book.BookState;
import io.loom.api.book.OrderBookView;
import io.loom.api.event.Side;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * One instrument's L2 order book: exact {@code long} price and quantity mantissas per level, each
 * side a tick window over the best levels plus a sorted array for the rest (see {@link BookSide}),
 * a {@link BookState}, the last exchange sequence applied, and the sequence stamp that lets
 * readers on other threads read a consistent snapshot (see {@link OrderBookView}).
 *
 * <p>Writing a message for cross-thread readers:
 * {@code beginUpdate(); set(...); ...; truncate(...); endUpdate();}. A connector's private book,
 * read only on its own thread, may skip the stamp. {@link #set} checks its arguments and says
 * what changed as a {@link LevelChange}; {@link #put} is the same change for writers whose input
 * is already checked (the order-book stage, a feed's replica): no checks, the previous quantity
 * as a {@code long}. {@link #putAll} is {@code put} for a run of one side's levels held in arrays
 * (a message's bids or asks in a feed's replica), cheaper per level from about 8 levels a run.
 *
 * <p>Costs: a level update inside a side's window ({@code windowTicks} ticks around the best, the
 * tick learned from the prices) is O(1): no search, no move. A level outside it (far from the
 * best, or while the window catches up with a moving best) is a search and a move in a sorted
 * array, whose moves go towards its nearer free end. Reading level {@code n} counts bits from the
 * nearer end of the window (O(1) for the best and the worst level, O(windowTicks / 64) at most);
 * {@link #copyLevels} reads the best levels in one pass, and readers on other threads get the
 * best 16 from a copy (see {@link #endUpdate()}). {@link #lastLevel} costs a search or a count of
 * bits; {@link #truncate} removes the levels it drops one by one when few go, in bulk otherwise.
 * {@code put} does not update a side's count of the levels in its window (a read-modify-write per
 * level that made each level of a side wait for the one before it): it is recounted from the
 * window's bitmap when asked, so a side's depth costs O(held bitmap words) after a {@code put},
 * O(1) after a truncate; reading the best level needs no count. Nor does {@code put} test
 * whether a removal left a window's best in its lowest quarter (a window that then moves down
 * over the levels below it): {@link #endUpdate()}, {@link #truncate}, a level put below the
 * window and {@link #set} do; where a window sits changes how fast a level is found, never
 * what the book holds.
 *
 * <p>Memory: fixed per book at construction, {@code 2 * (8 * windowTicks + 512)} bytes for the windows
 * (65 KiB at the default {@value #DEFAULT_WINDOW_TICKS} ticks), 512 bytes for the copies of the
 * best levels, and {@code 2 * 16 * initialLevelsPerSide} for the sorted arrays. Nothing allocates except growth: a
 * sorted array that runs out of room doubles, counted by {@link #growths()}; size books so that
 * this stays outside steady state (it holds at most every level of its side, while the window
 * moves). Window moves are counted by {@link #windowMoves()}.
 *
 * <p>Thread-safety: one writer thread calls the mutators; any thread may read as
 * {@link OrderBookView} says.
 */
public final class OrderBook implements OrderBookView
{
    /** Ticks per side window of a book built without naming them: the most a window holds. */
    public static final int DEFAULT_WINDOW_TICKS = TickLadder.MAX_SLOTS;

    private static final VarHandle STAMP;

    static
    {
        try
        {
            STAMP = MethodHandles.lookup().findVarHandle(OrderBook.class, "stamp", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final int instrumentId;
    private final BookSide bids;
    private final BookSide asks;
    private BookState state = BookState.SYNCING;
    private long lastSequence;
    private long stamp;

    /**
     * An empty book in state {@link BookState#SYNCING}, with {@value #DEFAULT_WINDOW_TICKS}-tick windows.
     *
     * @param instrumentId         the instrument's interned id.
     * @param initialLevelsPerSide levels each side's sorted array holds before it first grows.
     */
    public OrderBook(final int instrumentId, final int initialLevelsPerSide)
    {
        this(instrumentId, initialLevelsPerSide, DEFAULT_WINDOW_TICKS);
    }

    /**
     * An empty book in state {@link BookState#SYNCING}.
     *
     * @param instrumentId         the instrument's interned id.
     * @param initialLevelsPerSide levels each side's sorted array holds before it first grows.
     * @param windowTicks          ticks in each side's window: a power of two from 64 to
     *                             {@value #DEFAULT_WINDOW_TICKS}; memory is fixed by it.
     * @throws IllegalArgumentException if windowTicks is not such a power of two.
     */
    public OrderBook(final int instrumentId, final int initialLevelsPerSide, final int windowTicks)
    {
        this.instrumentId = instrumentId;
        this.bids = new BookSide(Side.BID, initialLevelsPerSide, windowTicks);
        this.asks = new BookSide(Side.ASK, initialLevelsPerSide, windowTicks);
    }

    /**
     * Starts applying a message: the stamp turns odd, so cross-thread reads do not validate until
     * {@link #endUpdate()}. Writer thread only.
     *
     * @throws IllegalStateException if an update is already in progress (a missing endUpdate is a bug).
     */
    public void beginUpdate()
    {
        final long current = stamp;
        if ((current & 1) != 0)
        {
            throw new IllegalStateException("book " + instrumentId + ": beginUpdate() inside an update");
        }
        STAMP.setOpaque(this, current + 1);
        VarHandle.storeStoreFence();
    }

    /**
     * Ends the message begun with {@link #beginUpdate()}: the stamp turns even and everything
     * written since is published. Each side first makes the window test {@link #put} leaves to
     * the end of a message (a window whose best sank into its lowest quarter while levels wait
     * below it is raised over them). Once a reader has read a level below the best, each side that
     * changed also refreshes its copy of its best 16 levels, which such readers then read at the
     * cost of an array index. Writer thread only.
     *
     * @throws IllegalStateException if no update is in progress.
     */
    public void endUpdate()
    {
        final long current = stamp;
        if ((current & 1) == 0)
        {
            throw new IllegalStateException("book " + instrumentId + ": endUpdate() without beginUpdate()");
        }
        bids.endMessage();
        asks.endMessage();
        STAMP.setRelease(this, current + 1);
    }

    /** @return true between {@link #beginUpdate()} and {@link #endUpdate()}; writer thread only. */
    public boolean isUpdating()
    {
        return (stamp & 1) != 0;
    }

    /** Removes every level of both sides; state and last sequence are unchanged. */
    public void clear()
    {
        bids.clear();
        asks.clear();
    }

    /**
     * Sets one level. Allocates nothing unless a side's sorted array must grow.
     *
     * @param side     {@link Side#BID} or {@link Side#ASK}.
     * @param price    price mantissa.
     * @param quantity quantity mantissa; 0 removes the level.
     * @return what changed; {@link LevelChange#ABSENT} if quantity 0 named a level not held.
     * @throws IllegalArgumentException if side is {@link Side#NONE} or quantity is negative.
     */
    public LevelChange set(final Side side, final long price, final long quantity)
    {
        if (quantity < 0)
        {
            throw new IllegalArgumentException("book " + instrumentId + ": negative quantity " + quantity + " at " + price);
        }
        if (side == Side.NONE)
        {
            throw new IllegalArgumentException("book " + instrumentId + ": a level needs side BID or ASK");
        }
        return LevelChange.of(side(side).putAndRefill(price, quantity, BookSide.NO_HINT), quantity);
    }

    /**
     * {@link #set(Side, long, long)} with a level hint (see
     * {@link io.loom.api.event.MarketEvent#levelHint()}): a level inside the side's window needs
     * none; outside it, a right hint is O(1) and a wrong one a search; the book ends up the same
     * either way.
     *
     * @param side      {@link Side#BID} or {@link Side#ASK}.
     * @param price     price mantissa.
     * @param quantity  quantity mantissa; 0 removes the level.
     * @param levelHint where the level is or goes, 0 = best; a negative hint is no hint.
     * @return what changed; {@link LevelChange#ABSENT} if quantity 0 named a level not held.
     * @throws IllegalArgumentException if side is {@link Side#NONE} or quantity is negative.
     */
    public LevelChange set(final Side side, final long price, final long quantity, final int levelHint)
    {
        if (quantity < 0)
        {
            throw new IllegalArgumentException("book " + instrumentId + ": negative quantity " + quantity + " at " + price);
        }
        if (side == Side.NONE)
        {
            throw new IllegalArgumentException("book " + instrumentId + ": a level needs side BID or ASK");
        }
        return LevelChange.of(side(side).putAndRefill(price, quantity, levelHint), quantity);
    }

    /**
     * The hot-path form of {@link #set(Side, long, long)}, for a writer whose input is already
     * checked (the order-book stage, a feed's replica fed by its decoder): the same change, but
     * it checks no argument and returns a primitive, as {@link java.util.Map#put} does, and a
     * removal does not move the side's window (see the class comment): {@link #endUpdate()} does.
     * Allocates nothing unless a side's sorted array must grow.
     *
     * @param side     {@link Side#BID} or {@link Side#ASK}; {@link Side#NONE} throws
     *                 {@link ArrayIndexOutOfBoundsException} (a bug in the caller).
     * @param price    price mantissa.
     * @param quantity quantity mantissa, 0 removes the level; <b>not checked</b>: a negative one is a
     *                 bug in the caller and leaves the side inconsistent.
     * @return the level's quantity before, 0 if it was not held (so 0 with quantity 0 is
     *         {@link LevelChange#ABSENT}).
     */
    public long put(final Side side, final long price, final long quantity)
    {
        return side(side).put(price, quantity, BookSide.NO_HINT);
    }

    /**
     * {@link #put(Side, long, long)} with a level hint, as {@link #set(Side, long, long, int)}
     * takes one: a level inside the side's window needs none; outside it, a right hint is O(1)
     * and a wrong one a search; the book ends up the same either way.
     *
     * @param side      {@link Side#BID} or {@link Side#ASK}; {@link Side#NONE} throws
     *                  {@link ArrayIndexOutOfBoundsException} (a bug in the caller).
     * @param price     price mantissa.
     * @param quantity  quantity mantissa, 0 removes the level; <b>not checked</b>, as for
     *                  {@link #put(Side, long, long)}.
     * @param levelHint where the level is or goes, 0 = best; a negative hint is no hint.
     * @return the level's quantity before, 0 if it was not held.
     */
    public long put(final Side side, final long price, final long quantity, final int levelHint)
    {
        return side(side).put(price, quantity, levelHint);
    }

    /**
     * The side a level goes to: picked by comparing the reference with a constant, which C2 compiles to a conditional
     * move (no branch on a side that alternates at random), with no load of the enum's ordinal and of an array of the
     * sides on each level's path (benchmarks/README.md, "book18"); then one compare of the picked side's own
     * {@link Side} with the argument, which differs only for {@link Side#NONE} and null (both pick the bids): one
     * never-taken branch for both, where a test of each was two (benchmarks/README.md, "ubook19").
     *
     * @throws ArrayIndexOutOfBoundsException for {@link Side#NONE}, as the mutators' javadoc says (and
     *                                        {@link NullPointerException} for null, as before).
     */
    private BookSide side(final Side side)
    {
        final BookSide book = side == Side.ASK ? asks : bids;
        if (book.side() != side)
        {
            throw notASide(side);
        }
        return book;
    }

    /** The cold path of {@link #side}: throws {@link NullPointerException} for null, else returns the exception for {@link Side#NONE}. */
    private ArrayIndexOutOfBoundsException notASide(final Side side)
    {
        Objects.requireNonNull(side, "side");
        return new ArrayIndexOutOfBoundsException("book " + instrumentId + ": a level needs side BID or ASK, not " + side);
    }

    /**
     * The batch form of {@link #put(Side, long, long)}, for a writer that holds a message's levels
     * of one side in arrays (a feed's replica): applies levels {@code from} to
     * {@code from + count - 1} in order, with the same result as {@code put} level by level, but
     * a run of levels inside the side's window keeps the window and the level count in locals,
     * so independent levels overlap instead of waiting for each other's stores. A level outside
     * the window is applied as {@code put} applies it (without a hint). Checks no argument, as
     * {@code put}; {@link #lastLevel} afterwards answers for the last level applied. Allocates
     * nothing unless a side's sorted array must grow.
     *
     * @param side       {@link Side#BID} or {@link Side#ASK}; {@link Side#NONE} throws
     *                   {@link ArrayIndexOutOfBoundsException} (a bug in the caller).
     * @param prices     price mantissas.
     * @param quantities quantity mantissas, 0 removes the level; <b>not checked</b>, as for
     *                   {@link #put(Side, long, long)}.
     * @param from       the index of the first level in both arrays.
     * @param count      levels to apply, at least 0.
     * @param previous   receives, at each level's index ({@code from} to {@code from + count - 1}),
     *                   the level's quantity before, 0 if it was not held; an array of its own
     *                   (neither {@code prices} nor {@code quantities}).
     */
    public void putAll(final Side side, final long[] prices, final long[] quantities, final int from, final int count, final long[] previous)
    {
        side(side).putAll(prices, quantities, from, from + count, previous);
    }

    /**
     * @param side {@link Side#BID} or {@link Side#ASK}.
     * @return the level index (0 = best) where the last {@code set} or {@code put} of that side found the price or
     *         put it (where a removed level was): the level hint of the event that repeats that set.
     *         Counted when asked (bits from the nearer end of the window), so ask only if needed.
     */
    public int lastLevel(final Side side)
    {
        return side == Side.ASK ? asks.lastLevel() : bids.lastLevel();
    }

    /**
     * Keeps the best {@code depth} levels of each side and drops the rest (as venues with a
     * subscribed depth expect): O(levels dropped) when few go, O(window words) at most.
     *
     * @param depth levels to keep per side, at least 0.
     * @throws IllegalArgumentException if depth is negative.
     */
    public void truncate(final int depth)
    {
        if (depth < 0)
        {
            throw new IllegalArgumentException("depth must be >= 0, not " + depth);
        }
        bids.truncate(depth);
        asks.truncate(depth);
    }

    /** @param state the new state. */
    public void state(final BookState state)
    {
        this.state = state;
    }

    /** @param lastSequence the exchange sequence (update id) of the level just applied. */
    public void lastSequence(final long lastSequence)
    {
        this.lastSequence = lastSequence;
    }

    /** @return how many times a side doubled its sorted array (each time allocated); writer thread only. */
    public int growths()
    {
        return bids.growths() + asks.growths();
    }

    /**
     * @return how many times a side's window moved (the best left it, or its tick was refined):
     *         each re-files that side's window levels; writer thread only.
     */
    public int windowMoves()
    {
        return bids.windowMoves() + asks.windowMoves();
    }

    @Override
    public int instrumentId()
    {
        return instrumentId;
    }

    @Override
    public BookState state()
    {
        return state;
    }

    @Override
    public long lastSequence()
    {
        return lastSequence;
    }

    @Override
    public int bidDepth()
    {
        return bids.depth();
    }

    @Override
    public int askDepth()
    {
        return asks.depth();
    }

    @Override
    public long bidPrice(final int level)
    {
        return bids.price(level);
    }

    @Override
    public long bidQuantity(final int level)
    {
        return bids.quantity(level);
    }

    @Override
    public long askPrice(final int level)
    {
        return asks.price(level);
    }

    @Override
    public long askQuantity(final int level)
    {
        return asks.quantity(level);
    }

    /**
     * {@inheritDoc} O(levels + window words), where reading level by level counts bits for each.
     */
    @Override
    public int copyLevels(final Side side, final long[] prices, final long[] quantities, final int levels)
    {
        if (side == Side.NONE || levels < 0 || prices.length < levels || quantities.length < levels)
        {
            throw new IllegalArgumentException("book " + instrumentId + ": copyLevels needs side BID or ASK and arrays of at least " + levels +
                " levels");
        }
        return side(side).copy(prices, quantities, levels);
    }

    @Override
    public boolean isCrossed()
    {
        // a bid's key is its price, an ask's is ~price (BookSide): best bid >= best ask, with the asks' flip a constant
        return !bids.isEmpty() && !asks.isEmpty() && bids.bestKey() >= ~asks.bestKey();
    }

    @Override
    public long readStamp()
    {
        return (long)STAMP.getAcquire(this);
    }

    @Override
    public boolean validate(final long stamp)
    {
        VarHandle.loadLoadFence();
        return (stamp & 1) == 0 && stamp == (long)STAMP.getOpaque(this);
    }

    @Override
    public String toString()
    {
        return "OrderBook{" + instrumentId + ' ' + state + " seq=" + lastSequence + " bids=" + bids.depth() +
            " asks=" + asks.depth() + (bids.depth() > 0 ? " bid0=" + bids.price(0) : "") +
            (asks.depth() > 0 ? " ask0=" + asks.price(0) : "") + '}';
    }
}
