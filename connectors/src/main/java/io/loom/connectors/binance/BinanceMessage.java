package io.loom.connectors.binance;

import io.loom.api.event.Side;
import java.util.Arrays;

/**
 * The last message a {@link BinanceMessageDecoder} decoded: pre-allocated, overwritten by every
 * decode, so decoding allocates nothing. Decimal fields are mantissas at the exponents given to
 * {@link BinanceMessageDecoder#parseDecimals} (the decoder writes each level's straight into the
 * level arrays, once); until that call returns only the ids, times and the symbol's position are
 * sure to be set. Fields a message type does not carry hold 0 (or false).
 *
 * <p>Levels are kept in arrays that grow (allocating, counted by {@link #levelGrowths()}) only
 * when a message has more levels than ever before, which is outside steady state once the
 * largest snapshot has been seen.
 *
 * <p>Thread-safety: not thread-safe; owned by its decoder's thread.
 */
public final class BinanceMessage
{
    private static final int INITIAL_LEVELS = 2048;

    BinanceMessageType type;
    int symbolOffset;
    int symbolLength;
    long eventTimeMs;
    long transactionTimeMs;
    long firstUpdateId;
    long finalUpdateId;
    long previousFinalUpdateId;
    boolean hasPreviousFinalUpdateId;
    long tradeId;
    boolean buyerIsMaker;
    long bidPrice;
    long bidQuantity;
    long askPrice;
    long askQuantity;
    long tradePrice;
    long tradeQuantity;
    int levelCount;
    byte[] levelSides = new byte[INITIAL_LEVELS];
    long[] levelPrices = new long[INITIAL_LEVELS];
    long[] levelQuantities = new long[INITIAL_LEVELS];
    private int levelGrowths;

    /** @return what was decoded. */
    public BinanceMessageType type()
    {
        return type;
    }

    /** @return where the symbol ({@code s}) lies in the decoded buffer; 0 if none. */
    public int symbolOffset()
    {
        return symbolOffset;
    }

    /** @return the symbol's length in bytes; 0 if the message has none. */
    public int symbolLength()
    {
        return symbolLength;
    }

    /** @return the event time {@code E} in epoch milliseconds, 0 if absent. */
    public long eventTimeMs()
    {
        return eventTimeMs;
    }

    /** @return the transaction or trade time {@code T} in epoch milliseconds, 0 if absent. */
    public long transactionTimeMs()
    {
        return transactionTimeMs;
    }

    /** @return the exchange time in epoch ns: {@code T} when present, else {@code E}, else 0. */
    public long exchangeTimeNs()
    {
        return (transactionTimeMs != 0 ? transactionTimeMs : eventTimeMs) * 1_000_000L;
    }

    /** @return a diff's first update id {@code U}. */
    public long firstUpdateId()
    {
        return firstUpdateId;
    }

    /** @return a diff's or ticker's final update id {@code u}, or a snapshot's {@code lastUpdateId}. */
    public long finalUpdateId()
    {
        return finalUpdateId;
    }

    /** @return a futures diff's {@code pu} (see {@link #hasPreviousFinalUpdateId()}). */
    public long previousFinalUpdateId()
    {
        return previousFinalUpdateId;
    }

    /** @return true if the diff carried {@code pu}. */
    public boolean hasPreviousFinalUpdateId()
    {
        return hasPreviousFinalUpdateId;
    }

    /** @return a trade's id {@code t}, or an aggregate trade's id {@code a}. */
    public long tradeId()
    {
        return tradeId;
    }

    /** @return the trade's {@code m}: the buyer was the maker, so the seller was the aggressor. */
    public boolean buyerIsMaker()
    {
        return buyerIsMaker;
    }

    /** @return the ticker's best bid price mantissa ({@code b}). */
    public long bidPrice()
    {
        return bidPrice;
    }

    /** @return the ticker's best bid quantity mantissa ({@code B}). */
    public long bidQuantity()
    {
        return bidQuantity;
    }

    /** @return the ticker's best ask price mantissa ({@code a}). */
    public long askPrice()
    {
        return askPrice;
    }

    /** @return the ticker's best ask quantity mantissa ({@code A}). */
    public long askQuantity()
    {
        return askQuantity;
    }

    /** @return the trade's price mantissa ({@code p}). */
    public long tradePrice()
    {
        return tradePrice;
    }

    /** @return the trade's quantity mantissa ({@code q}). */
    public long tradeQuantity()
    {
        return tradeQuantity;
    }

    /** @return how many levels a diff or snapshot carried, in wire order (each with its {@link #levelSide}). */
    public int levelCount()
    {
        return levelCount;
    }

    /**
     * @param index 0 to {@code levelCount() - 1}.
     * @return the level's side.
     */
    public Side levelSide(final int index)
    {
        return levelSides[index] == 0 ? Side.BID : Side.ASK;
    }

    /**
     * @param index 0 to {@code levelCount() - 1}.
     * @return the level's price mantissa.
     */
    public long levelPrice(final int index)
    {
        return levelPrices[index];
    }

    /**
     * @param index 0 to {@code levelCount() - 1}.
     * @return the level's quantity mantissa; 0 deletes the level.
     */
    public long levelQuantity(final int index)
    {
        return levelQuantities[index];
    }

    /** @return how often the level arrays grew (allocations outside steady state). */
    public int levelGrowths()
    {
        return levelGrowths;
    }

    void reset()
    {
        type = null;
        symbolOffset = 0;
        symbolLength = 0;
        eventTimeMs = 0;
        transactionTimeMs = 0;
        firstUpdateId = 0;
        finalUpdateId = 0;
        previousFinalUpdateId = 0;
        hasPreviousFinalUpdateId = false;
        tradeId = 0;
        buyerIsMaker = false;
        bidPrice = 0;
        bidQuantity = 0;
        askPrice = 0;
        askQuantity = 0;
        tradePrice = 0;
        tradeQuantity = 0;
        levelCount = 0;
    }

    /** @return how many levels fit before the level arrays must grow. */
    int levelCapacity()
    {
        return levelSides.length;
    }

    /**
     * Adds a level whose price and quantity the decoder writes next, growing the arrays if full.
     *
     * @return the level's index.
     */
    int addLevel(final boolean ask)
    {
        if (levelCount == levelSides.length)
        {
            grow();
        }
        final int i = levelCount++;
        levelSides[i] = (byte)(ask ? 1 : 0);
        return i;
    }

    /**
     * Takes the levels whose prices and quantities the decoder wrote from {@link #levelCount()} up
     * to {@code count} (at most {@link #levelCapacity()}), all of one side.
     */
    void levelsRead(final int count, final boolean ask)
    {
        final byte side = (byte)(ask ? 1 : 0);
        for (int i = levelCount; i < count; i++)
        {
            levelSides[i] = side;
        }
        levelCount = count;
    }

    private void grow()
    {
        final int capacity = levelSides.length * 2;
        levelSides = Arrays.copyOf(levelSides, capacity);
        levelPrices = Arrays.copyOf(levelPrices, capacity);
        levelQuantities = Arrays.copyOf(levelQuantities, capacity);
        levelGrowths++;
    }
}
