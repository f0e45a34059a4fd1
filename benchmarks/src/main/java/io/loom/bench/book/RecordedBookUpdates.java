package io.loom.bench.book;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loom.bench.binance.RecordedBinanceSession;
import io.loom.runtime.capture.Capture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link BookUpdateStream} replayed from the recorded Binance spot ETHUSDT session (its REST
 * snapshot, 1,000 levels a side, then every depthUpdate level after it, prices and quantities as
 * exact mantissas at 1e-8), as a book of {@code depth} levels a side sees it: the full book is
 * rebuilt level by level and every change of its best {@code depth} levels is one update (a
 * change within them; an insert among them and the delete of the level it pushes out; a delete
 * and the insert of the level that moves up). When the session runs out it starts again from its
 * snapshot (the view restored first), until the stream is full; then the view is restored to the
 * snapshot's and padded with no-op updates, like the generated stream. Each update keeps the
 * recorded depthUpdate it comes from as its message (the restoring and padding updates come in
 * messages of {@link BookLevelUpdateLatency#MESSAGE_LEVELS}).
 *
 * <p>Thread-safety: none (used once, in set-up).
 */
final class RecordedBookUpdates
{
    private static final int SCALE = 8;

    private final int depth;
    private final List<long[]> updates = new ArrayList<>(BookUpdateStream.UPDATES);
    private final TreeMap<Long, Long> snapshotBids = new TreeMap<>(Comparator.reverseOrder());
    private final TreeMap<Long, Long> snapshotAsks = new TreeMap<>(Comparator.naturalOrder());
    private final List<long[]> levels = new ArrayList<>();
    private final TreeMap<Long, Long> viewBids = new TreeMap<>(Comparator.reverseOrder());
    private final TreeMap<Long, Long> restBids = new TreeMap<>(Comparator.reverseOrder());
    private final TreeMap<Long, Long> viewAsks = new TreeMap<>(Comparator.naturalOrder());
    private final TreeMap<Long, Long> restAsks = new TreeMap<>(Comparator.naturalOrder());
    /** The recorded message (pass and depthUpdate number) whose level is being applied: what an emitted update belongs to. */
    private long message;

    private RecordedBookUpdates(final int depth)
    {
        this.depth = depth;
    }

    /**
     * @param depth levels per side the book holds.
     * @return exactly {@link BookUpdateStream#UPDATES} updates.
     */
    static BookUpdateStream replay(final int depth)
    {
        final RecordedBookUpdates replay = new RecordedBookUpdates(depth);
        replay.load(RecordedBinanceSession.load());
        return replay.stream();
    }

    private void load(final RecordedBinanceSession session)
    {
        final Capture capture = session.capture;
        final ObjectMapper json = new ObjectMapper();
        long lastUpdateId = -1;
        final List<JsonNode> events = new ArrayList<>();
        try
        {
            for (final int record : session.bookRecords)
            {
                switch (capture.kind(record))
                {
                    case REST ->
                    {
                        final JsonNode body = json.readTree(capture.buffer().getStringWithoutLengthUtf8(
                            capture.restBodyOffset(record), capture.restBodyLength(record)));
                        lastUpdateId = body.get("lastUpdateId").asLong();
                        readLevels(body.get("bids"), snapshotBids);
                        readLevels(body.get("asks"), snapshotAsks);
                    }
                    case WS -> events.add(json.readTree(capture.payloadAsString(record)).get("data"));
                    default ->
                    {
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        int message = 0;
        for (final JsonNode event : events)
        {
            if (event.get("u").asLong() > lastUpdateId)
            {
                addLevels(event.get("b"), true, message);
                addLevels(event.get("a"), false, message);
                message++;
            }
        }
        if (snapshotBids.size() < depth || snapshotAsks.size() < depth)
        {
            throw new IllegalStateException("the recorded snapshot holds fewer than " + depth + " levels a side");
        }
    }

    private BookUpdateStream stream()
    {
        final int budget = BookUpdateStream.UPDATES - 4 * depth - 64;
        startPass();
        final TreeMap<Long, Long> initialBids = new TreeMap<>(viewBids);
        final TreeMap<Long, Long> initialAsks = new TreeMap<>(viewAsks);
        int passes = 1;
        int changes = 0;
        int next = 0;
        while (updates.size() < budget)
        {
            if (next == levels.size())
            {
                restoreView(initialBids, initialAsks);
                startPass();
                passes++;
                next = 0;
                continue;
            }
            final long[] level = levels.get(next++);
            message = (long)passes << 32 | level[3];
            final boolean bid = level[0] == 1;
            apply(bid, level[1], level[2], bid ? viewBids : viewAsks, bid ? restBids : restAsks);
            changes++;
        }
        final int restoring = restoreView(initialBids, initialAsks);
        final int padding = BookUpdateStream.UPDATES - updates.size();
        if (padding < 0)
        {
            throw new IllegalStateException("restoring depth " + depth + " took " + restoring + " updates: over budget");
        }
        for (int i = 0; i < padding; i++)
        {
            updates.add(new long[] {1, initialBids.firstKey(), initialBids.firstEntry().getValue()});
        }
        int deletes = 0;
        for (final long[] update : updates)
        {
            deletes += update[2] == 0 ? 1 : 0;
        }
        final String summary = String.format("binance depth %d: %d recorded level changes (%d passes over %d), %d updates to the top %d, " +
            "%.1f %% deletes, %d restoring the snapshot, %d no-op padding", depth, changes, passes, levels.size(), updates.size() - padding,
            depth, 100.0 * deletes / BookUpdateStream.UPDATES, restoring, padding);
        return new BookUpdateStream(updates, initialBids, initialAsks, summary);
    }

    /** Resets the full book to the snapshot, its best {@code depth} levels a side in view. */
    private void startPass()
    {
        split(snapshotBids, viewBids, restBids);
        split(snapshotAsks, viewAsks, restAsks);
    }

    private void split(final TreeMap<Long, Long> snapshot, final TreeMap<Long, Long> view, final TreeMap<Long, Long> rest)
    {
        view.clear();
        rest.clear();
        for (final Map.Entry<Long, Long> level : snapshot.entrySet())
        {
            (view.size() < depth ? view : rest).put(level.getKey(), level.getValue());
        }
    }

    /** Applies one recorded level to the full book and emits what changed in view. */
    private void apply(final boolean bid, final long price, final long quantity, final TreeMap<Long, Long> view, final TreeMap<Long, Long> rest)
    {
        if (view.containsKey(price))
        {
            if (quantity != 0)
            {
                view.put(price, quantity);
                emit(bid, price, quantity);
                return;
            }
            view.remove(price);
            emit(bid, price, 0);
            if (!rest.isEmpty())
            {
                final Map.Entry<Long, Long> next = rest.pollFirstEntry();
                view.put(next.getKey(), next.getValue());
                emit(bid, next.getKey(), next.getValue());
            }
            return;
        }
        if (quantity == 0)
        {
            rest.remove(price);
            return;
        }
        if (rest.containsKey(price) || (view.size() == depth && view.comparator().compare(price, view.lastKey()) > 0))
        {
            rest.put(price, quantity);
            return;
        }
        if (view.size() == depth)
        {
            final Map.Entry<Long, Long> worst = view.pollLastEntry();
            rest.put(worst.getKey(), worst.getValue());
            emit(bid, worst.getKey(), 0);
        }
        view.put(price, quantity);
        emit(bid, price, quantity);
    }

    private int restoreView(final TreeMap<Long, Long> initialBids, final TreeMap<Long, Long> initialAsks)
    {
        return BookUpdateStream.restore(updates, viewBids, initialBids, true) + BookUpdateStream.restore(updates, viewAsks, initialAsks, false);
    }

    private void emit(final boolean bid, final long price, final long quantity)
    {
        updates.add(new long[] {bid ? 1 : 0, price, quantity, message});
    }

    private static void readLevels(final JsonNode levels, final TreeMap<Long, Long> side)
    {
        for (final JsonNode level : levels)
        {
            final long quantity = mantissa(level.get(1));
            if (quantity != 0)
            {
                side.put(mantissa(level.get(0)), quantity);
            }
        }
    }

    private void addLevels(final JsonNode sideLevels, final boolean bid, final int message)
    {
        for (final JsonNode level : sideLevels)
        {
            levels.add(new long[] {bid ? 1 : 0, mantissa(level.get(0)), mantissa(level.get(1)), message});
        }
    }

    private static long mantissa(final JsonNode decimal)
    {
        return new BigDecimal(decimal.asText()).movePointRight(SCALE).longValueExact();
    }
}
