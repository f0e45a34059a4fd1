package io.loom.bench.book;

import io.loom.api.event.Side;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A pre-generated, realistic stream of L2 level updates for one instrument, and the snapshot it
 * starts from. Levels sit on about half the ticks of a range around a fixed mid price, so inserts
 * find gaps near the top. Each update picks a side, then 80 % of the time a level among the top
 * 20 (or a gap just below them), 20 % anywhere in the book; then 30 % deletes, 30 % inserts,
 * 40 % size changes, steered so each side stays within 10 % of {@code depth} levels. The stream
 * ends by restoring the snapshot (then pads with no-op size changes of the best bid up to a fixed
 * length), so replaying it over and over keeps the book the same size forever.
 *
 * <p>The updates come in messages: a recorded stream's are its recorded messages (each update
 * carries its message as a fourth number), a generated one's (and a recorded one's restoring and
 * padding updates) are {@link BookLevelUpdateLatency#MESSAGE_LEVELS} consecutive updates. For
 * {@code OrderBook.putAll} the same updates are also laid out in runs: each message's bids, then
 * its asks, each side in its own order (the sides of a book are independent, so every level finds
 * the same previous quantity and the book ends the same; a feed's message carries its bids and
 * asks apart too).
 *
 * <p>Thread-safety: immutable after {@link #generate}.
 */
final class BookUpdateStream
{
    static final int UPDATES = 1 << 16;
    private static final long MID = 100_000_000L;
    private static final int TOP = 20;

    final boolean[] bid;
    final Side[] side;
    final long[] price;
    final long[] quantity;
    final long[] snapshotBidPrices;
    final long[] snapshotBidQuantities;
    final long[] snapshotAskPrices;
    final long[] snapshotAskQuantities;
    final String summary;
    /** Messages: message {@code m} is updates {@code messageStart[m]} to {@code messageStart[m + 1] - 1}. */
    final int[] messageStart;
    final int messages;
    /** The updates in runs of one side: run {@code r} is {@code runPrice}/{@code runQuantity} from {@code runStart[r]} to {@code runStart[r + 1] - 1}. */
    final long[] runPrice;
    final long[] runQuantity;
    final Side[] runSide;
    final int[] runStart;
    final int runs;
    /** The runs of message {@code m}: {@code messageRuns[m]} to {@code messageRuns[m + 1] - 1}. */
    final int[] messageRuns;

    BookUpdateStream(final List<long[]> updates, final TreeMap<Long, Long> bids, final TreeMap<Long, Long> asks, final String summary)
    {
        final int n = updates.size();
        bid = new boolean[n];
        side = new Side[n];
        price = new long[n];
        quantity = new long[n];
        for (int i = 0; i < n; i++)
        {
            final long[] update = updates.get(i);
            bid[i] = update[0] == 1;
            side[i] = bid[i] ? Side.BID : Side.ASK;
            price[i] = update[1];
            quantity[i] = update[2];
        }
        messageStart = new int[n + 1];
        int messageCount = 0;
        for (int i = 0; i < n; i++)
        {
            if (i == 0 || message(updates, i) != message(updates, i - 1))
            {
                messageStart[messageCount++] = i;
            }
        }
        messageStart[messageCount] = n;
        messages = messageCount;
        runPrice = new long[n];
        runQuantity = new long[n];
        runSide = new Side[2 * messageCount];
        runStart = new int[2 * messageCount + 1];
        messageRuns = new int[messageCount + 1];
        int runCount = 0;
        int next = 0;
        for (int m = 0; m < messageCount; m++)
        {
            messageRuns[m] = runCount;
            for (final boolean bidRun : new boolean[] {true, false})
            {
                final int first = next;
                for (int i = messageStart[m]; i < messageStart[m + 1]; i++)
                {
                    if (bid[i] == bidRun)
                    {
                        runPrice[next] = price[i];
                        runQuantity[next] = quantity[i];
                        next++;
                    }
                }
                if (next > first)
                {
                    runSide[runCount] = bidRun ? Side.BID : Side.ASK;
                    runStart[runCount++] = first;
                }
            }
        }
        runStart[runCount] = n;
        messageRuns[messageCount] = runCount;
        runs = runCount;
        this.summary = summary + String.format("; %d messages, %d one-side runs (%.1f levels a run)", messageCount, runCount, (double)n / runCount);
        snapshotBidPrices = bids.keySet().stream().mapToLong(Long::longValue).toArray();
        snapshotBidQuantities = bids.values().stream().mapToLong(Long::longValue).toArray();
        snapshotAskPrices = asks.keySet().stream().mapToLong(Long::longValue).toArray();
        snapshotAskQuantities = asks.values().stream().mapToLong(Long::longValue).toArray();
    }

    /** @return update {@code i}'s message: its recorded one, or its place in messages of {@link BookLevelUpdateLatency#MESSAGE_LEVELS}. */
    private static long message(final List<long[]> updates, final int i)
    {
        final long[] update = updates.get(i);
        return update.length > 3 ? update[3] : -1 - i / BookLevelUpdateLatency.MESSAGE_LEVELS;
    }

    /**
     * @param depth levels per side the book holds.
     * @param seed  random seed.
     * @return a stream of exactly {@link #UPDATES} updates.
     */
    static BookUpdateStream generate(final int depth, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int ticks = 2 * depth + 2 * TOP;
        final TreeMap<Long, Long> initialBids = snapshot(random, depth, ticks, true);
        final TreeMap<Long, Long> initialAsks = snapshot(random, depth, ticks, false);
        final TreeMap<Long, Long> bids = new TreeMap<>(initialBids);
        final TreeMap<Long, Long> asks = new TreeMap<>(initialAsks);
        final List<long[]> updates = new ArrayList<>(UPDATES);
        final int randomUpdates = UPDATES - 5 * depth - 64;
        int deletes = 0;
        int top = 0;
        while (updates.size() < randomUpdates)
        {
            final boolean isBid = random.nextBoolean();
            final TreeMap<Long, Long> book = isBid ? bids : asks;
            final boolean nearTop = random.nextInt(10) < 8;
            final int roll = random.nextInt(100);
            final boolean delete = book.size() > depth * 11 / 10 || (roll < 30 && book.size() > depth * 9 / 10);
            final boolean insert = !delete && (book.size() < depth * 9 / 10 || roll >= 60);
            final long levelPrice;
            final long levelQuantity;
            if (insert)
            {
                final long gap = findGap(random, book, isBid, nearTop, ticks);
                if (gap == 0)
                {
                    continue;
                }
                levelPrice = gap;
                levelQuantity = randomQuantity(random);
            }
            else
            {
                final int level = random.nextInt(nearTop ? Math.min(TOP, book.size()) : book.size());
                levelPrice = priceAt(book, isBid, level);
                levelQuantity = delete ? 0 : randomQuantity(random);
            }
            if (levelQuantity == 0)
            {
                book.remove(levelPrice);
                deletes++;
            }
            else
            {
                book.put(levelPrice, levelQuantity);
            }
            if (levelIndex(book, isBid, levelPrice) < TOP)
            {
                top++;
            }
            updates.add(new long[] {isBid ? 1 : 0, levelPrice, levelQuantity});
        }
        final int restoring = restore(updates, bids, initialBids, true) + restore(updates, asks, initialAsks, false);
        while (updates.size() < UPDATES)
        {
            updates.add(new long[] {1, initialBids.lastKey(), initialBids.lastEntry().getValue()});
        }
        if (updates.size() != UPDATES)
        {
            throw new IllegalStateException("restoring depth " + depth + " took " + restoring + " updates: over budget");
        }
        final String summary = String.format("depth %d: %d updates, %.1f %% deletes, %.1f %% within the top %d levels, " +
            "%d restoring the snapshot, %d no-op padding", depth, randomUpdates, 100.0 * deletes / randomUpdates,
            100.0 * top / randomUpdates, TOP, restoring, UPDATES - randomUpdates - restoring);
        return new BookUpdateStream(updates, initialBids, initialAsks, summary);
    }

    /** Bids below the mid, asks above; keyed ascending (the best bid is the last key, the best ask the first). */
    private static TreeMap<Long, Long> snapshot(final SplittableRandom random, final int depth, final int ticks, final boolean isBid)
    {
        final TreeMap<Long, Long> book = new TreeMap<>();
        while (book.size() < depth)
        {
            final long offset = 1 + random.nextInt(2 * depth);
            book.put(isBid ? MID - offset : MID + offset, randomQuantity(random));
        }
        return book;
    }

    private static long randomQuantity(final SplittableRandom random)
    {
        return random.nextLong(1, 100_000_000L);
    }

    /** @return a free tick near the top (between the best and just past the 20th level) or anywhere; 0 if none found quickly. */
    private static long findGap(final SplittableRandom random, final TreeMap<Long, Long> book, final boolean isBid, final boolean nearTop,
        final int ticks)
    {
        final long reach = nearTop ? Math.abs(priceAt(book, isBid, Math.min(TOP, book.size()) - 1) - MID) + 1 : ticks;
        for (int attempt = 0; attempt < 16; attempt++)
        {
            final long offset = 1 + random.nextLong(reach);
            final long candidate = isBid ? MID - offset : MID + offset;
            if (!book.containsKey(candidate))
            {
                return candidate;
            }
        }
        return 0;
    }

    /** @return the price at a level, 0 = best. */
    private static long priceAt(final TreeMap<Long, Long> book, final boolean isBid, final int level)
    {
        int index = 0;
        for (final long candidate : isBid ? book.descendingKeySet() : book.navigableKeySet())
        {
            if (index++ == level)
            {
                return candidate;
            }
        }
        throw new IllegalArgumentException("no level " + level);
    }

    private static int levelIndex(final TreeMap<Long, Long> book, final boolean isBid, final long price)
    {
        return isBid ? book.tailMap(price, false).size() : book.headMap(price, false).size();
    }

    /** Appends the updates that bring {@code book} back to {@code initial}; @return how many. */
    static int restore(final List<long[]> updates, final TreeMap<Long, Long> book, final TreeMap<Long, Long> initial, final boolean isBid)
    {
        final int before = updates.size();
        for (final Map.Entry<Long, Long> level : book.entrySet())
        {
            if (!initial.containsKey(level.getKey()))
            {
                updates.add(new long[] {isBid ? 1 : 0, level.getKey(), 0});
            }
        }
        for (final Map.Entry<Long, Long> level : initial.entrySet())
        {
            if (!level.getValue().equals(book.get(level.getKey())))
            {
                updates.add(new long[] {isBid ? 1 : 0, level.getKey(), level.getValue()});
            }
        }
        return updates.size() - before;
    }
}
