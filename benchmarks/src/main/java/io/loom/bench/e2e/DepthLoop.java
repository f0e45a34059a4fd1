package io.loom.bench.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureRecordKind;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A recorded Binance spot depth session made endless: the REST snapshot of one symbol and the
 * depthUpdate diffs that follow it, plus one "rewind" diff that takes the book from its state at
 * the end of the recording back to the snapshot, so the diffs can be streamed again and again and
 * the book a client builds stays the recorded one (never crossed, never stale).
 *
 * <pre>
 *   snapshot S0 ─▶ D1 ─▶ D2 ─▶ … ─▶ Dn ─▶ R (Sn → S0) ─▶ D1 ─▶ …   (message i is levels(i % size()))
 * </pre>
 *
 * <p>Each message keeps its recorded levels ({@code "b":[…],"a":[…]}); update ids and the event
 * time are given per send by {@link BinanceDepthStream}. A snapshot can be taken at any position
 * ({@link #snapshotJson}): the book is kept every 128 messages and the rest applied on request.
 *
 * <p>Thread-safety: immutable after {@link #fromCapture}.
 */
public final class DepthLoop
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ZERO = "0.00000000";
    private static final int CHECKPOINT_EVERY = 128;

    private final String symbol;
    private final byte[][] levels;
    private final List<Change> changes;
    private final List<Book> checkpoints;

    private DepthLoop(final String symbol, final List<byte[]> levels, final List<Change> changes, final List<Book> checkpoints)
    {
        this.symbol = symbol;
        this.levels = levels.toArray(new byte[0][]);
        this.changes = List.copyOf(changes);
        this.checkpoints = List.copyOf(checkpoints);
    }

    /**
     * Reads the first REST depth snapshot of {@code symbol} in a Binance spot capture and the
     * depthUpdate frames of that symbol after it.
     *
     * @param capture a {@code binance-spot} capture with a REST depth snapshot of the symbol.
     * @param symbol  the symbol as Binance writes it ("ETHUSDT").
     * @return the loop.
     * @throws IllegalArgumentException if the capture has no snapshot or no diff after it for the symbol.
     */
    public static DepthLoop fromCapture(final Capture capture, final String symbol)
    {
        Objects.requireNonNull(symbol, "symbol");
        JsonNode snapshot = null;
        final List<JsonNode> diffs = new ArrayList<>();
        for (int i = 0; i < capture.size(); i++)
        {
            final CaptureRecordKind kind = capture.kind(i);
            if (kind == CaptureRecordKind.REST && snapshot == null)
            {
                final String url = capture.buffer().getStringWithoutLengthUtf8(capture.restUrlOffset(i), capture.restUrlLength(i));
                if (url.contains("symbol=" + symbol))
                {
                    snapshot = parse(capture.buffer().getStringWithoutLengthUtf8(capture.restBodyOffset(i), capture.restBodyLength(i)));
                }
            }
            else if (kind == CaptureRecordKind.WS && snapshot != null)
            {
                final String text = capture.payloadAsString(i);
                if (text.contains("\"e\":\"depthUpdate\"") && text.contains("\"s\":\"" + symbol + "\""))
                {
                    final JsonNode data = parse(text).path("data");
                    if (data.path("u").asLong() > snapshot.path("lastUpdateId").asLong())
                    {
                        diffs.add(data);
                    }
                }
            }
        }
        if (snapshot == null || diffs.isEmpty())
        {
            throw new IllegalArgumentException("the capture has no REST depth snapshot of " + symbol + " followed by diffs");
        }
        return of(symbol, snapshot.path("bids"), snapshot.path("asks"), diffs);
    }

    /**
     * @param symbol the symbol.
     * @param bids   the snapshot's bids, {@code [["price","qty"],…]}.
     * @param asks   the snapshot's asks.
     * @param diffs  the depthUpdate {@code data} objects after the snapshot, in order.
     * @return the loop: the diffs' levels, then the rewind diff if the book moved.
     */
    static DepthLoop of(final String symbol, final JsonNode bids, final JsonNode asks, final List<JsonNode> diffs)
    {
        final Book start = new Book(levelsOf(bids), levelsOf(asks));
        final Book book = start.copy();
        final List<Change> changes = new ArrayList<>();
        for (final JsonNode diff : diffs)
        {
            changes.add(new Change(pairs(diff.path("b")), pairs(diff.path("a"))));
        }
        final List<Change> loop = new ArrayList<>();
        for (final Change change : changes)
        {
            loop.add(change);
            book.apply(change);
        }
        final Change rewind = new Change(rewind(book.bids, start.bids), rewind(book.asks, start.asks));
        if (!rewind.bids.isEmpty() || !rewind.asks.isEmpty())
        {
            loop.add(rewind);
        }
        final List<byte[]> levels = new ArrayList<>();
        final List<Book> checkpoints = new ArrayList<>();
        final Book state = start.copy();
        for (int i = 0; i < loop.size(); i++)
        {
            if (i % CHECKPOINT_EVERY == 0)
            {
                checkpoints.add(state.copy());
            }
            levels.add(("\"b\":" + text(loop.get(i).bids) + ",\"a\":" + text(loop.get(i).asks)).getBytes(StandardCharsets.US_ASCII));
            state.apply(loop.get(i));
        }
        return new DepthLoop(symbol, levels, loop, checkpoints);
    }

    /** @return the symbol, as Binance writes it. */
    public String symbol()
    {
        return symbol;
    }

    /** @return the number of messages in one pass (the recorded diffs and the rewind). */
    public int size()
    {
        return levels.length;
    }

    /**
     * @param message any message number; the loop wraps.
     * @return that message's {@code "b":[…],"a":[…]} bytes (do not modify).
     */
    byte[] levels(final long message)
    {
        return levels[(int)(message % levels.length)];
    }

    /**
     * The REST depth snapshot of the book just before message {@code message} is applied: the
     * recorded snapshot with messages {@code 0 .. message-1} (of this pass) applied, cut to
     * {@code limit} levels per side, best first.
     *
     * @param message      the first message the snapshot does not include (any number; the loop wraps).
     * @param lastUpdateId the update id the snapshot stands at: the id of message {@code message} minus one.
     * @param limit        levels per side.
     * @return {@code {"lastUpdateId":…,"bids":[…],"asks":[…]}}.
     */
    public String snapshotJson(final long message, final long lastUpdateId, final int limit)
    {
        final int index = (int)(message % levels.length);
        final Book book = checkpoints.get(index / CHECKPOINT_EVERY).copy();
        for (int i = index / CHECKPOINT_EVERY * CHECKPOINT_EVERY; i < index; i++)
        {
            book.apply(changes.get(i));
        }
        return "{\"lastUpdateId\":" + lastUpdateId + ",\"bids\":" + text(best(book.bids.descendingMap(), limit)) +
            ",\"asks\":" + text(best(book.asks, limit)) + "}";
    }

    private static List<String[]> best(final NavigableMap<BigDecimal, String[]> side, final int limit)
    {
        final List<String[]> best = new ArrayList<>(limit);
        for (final String[] level : side.values())
        {
            if (best.size() == limit)
            {
                break;
            }
            best.add(level);
        }
        return best;
    }

    private static List<String[]> pairs(final JsonNode side)
    {
        final List<String[]> pairs = new ArrayList<>();
        for (final JsonNode level : side)
        {
            pairs.add(new String[] {level.get(0).asText(), level.get(1).asText()});
        }
        return pairs;
    }

    private static TreeMap<BigDecimal, String[]> levelsOf(final JsonNode side)
    {
        final TreeMap<BigDecimal, String[]> book = new TreeMap<>();
        apply(book, pairs(side));
        return book;
    }

    private static void apply(final Map<BigDecimal, String[]> book, final List<String[]> side)
    {
        for (final String[] level : side)
        {
            if (new BigDecimal(level[1]).signum() == 0)
            {
                book.remove(new BigDecimal(level[0]));
            }
            else
            {
                book.put(new BigDecimal(level[0]), level);
            }
        }
    }

    /** @return the levels that take {@code from} to {@code to}: removals, then changed or missing levels. */
    private static List<String[]> rewind(final Map<BigDecimal, String[]> from, final Map<BigDecimal, String[]> to)
    {
        final List<String[]> changes = new ArrayList<>();
        for (final Map.Entry<BigDecimal, String[]> level : from.entrySet())
        {
            if (!to.containsKey(level.getKey()))
            {
                changes.add(new String[] {level.getValue()[0], ZERO});
            }
        }
        for (final Map.Entry<BigDecimal, String[]> level : to.entrySet())
        {
            final String[] now = from.get(level.getKey());
            if (now == null || new BigDecimal(now[1]).compareTo(new BigDecimal(level.getValue()[1])) != 0)
            {
                changes.add(level.getValue());
            }
        }
        changes.sort(Comparator.comparing(level -> new BigDecimal(level[0])));
        return changes;
    }

    private static String text(final List<String[]> levels)
    {
        final StringBuilder text = new StringBuilder("[");
        for (final String[] level : levels)
        {
            text.append(text.length() == 1 ? "" : ",").append("[\"").append(level[0]).append("\",\"").append(level[1]).append("\"]");
        }
        return text.append(']').toString();
    }

    /** One message's level changes, {price, quantity} as recorded. */
    private record Change(List<String[]> bids, List<String[]> asks)
    {
    }

    /** A book by price, both sides ascending. */
    private record Book(TreeMap<BigDecimal, String[]> bids, TreeMap<BigDecimal, String[]> asks)
    {
        Book copy()
        {
            return new Book(new TreeMap<>(bids), new TreeMap<>(asks));
        }

        void apply(final Change change)
        {
            DepthLoop.apply(bids, change.bids);
            DepthLoop.apply(asks, change.asks);
        }
    }

    private static JsonNode parse(final String text)
    {
        try
        {
            return JSON.readTree(text);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalArgumentException("recorded Binance message is not JSON: " + text, ex);
        }
    }
}
