package io.loom.bench.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loom.connectors.kraken.KrakenProtocol;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureRecordKind;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * A recorded Kraken v1 book session of one pair made endless, for the end-to-end benchmark's
 * sender: the pair's snapshot and updates from a capture, plus one synthetic "reset" update that
 * takes the book from its state after the last recorded update back to the snapshot's, so the
 * updates can be streamed again and again and every message's CRC32 stays right.
 *
 * <pre>
 *   client: subscribe ─▶ server: subscriptionStatus, snapshot S0 ─▶ U1 ─▶ … ─▶ Un ─▶ R (Sn → S0) ─▶ U1 ─▶ …
 *   message m (counting from 0 across loops) is update m % size()
 * </pre>
 *
 * <p>Depth: the capture's updates are for its channel's depth ({@code book-1000}). A client keeps
 * only the subscribed depth, so each recorded update is re-cut to what changes in the client's
 * top {@code depth} levels: levels deleted, levels set or changed, and levels that enter the top
 * from below (as Kraken sends them); levels pushed out below the depth are left to the client's
 * truncation (VENUES.md). Updates that change nothing there are left out, and so is a level
 * re-sent unchanged. At the capture's own depth the updates are the recorded ones in effect.
 * Every update carries {@code "c"}: the CRC32 of the top 10 asks and bids of the book the client
 * holds after it, from the price and volume strings as sent.
 *
 * <p>Stamps: every level of an update carries the send stamp as its time, in the fixed-width form
 * of {@link KrakenLevelTime} (seconds = 10^7 + stampNs / 10^6 + 5 * 10^-7, e.g.
 * {@code "11234567.8912345"}), from which Loom, a {@code BigDecimal} client and XChange recover it
 * (the ns for the first two, the µs for XChange). Updates are encoded once at load; {@link
 * #encodeUpdate} copies one and patches the channel id and the times. Snapshot levels carry stamp
 * 0, older than every update.
 *
 * <p>Thread-safety: immutable after {@link #fromCapture}; {@link #encodeUpdate} writes only to its
 * {@code dst}, so any number of threads may encode at once.
 */
public final class KrakenBookLoop
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHECKSUM_LEVELS = 10;
    private static final int MAX_CHANNEL_ID_DIGITS = 10;
    private static final byte[] ZERO_TIME = KrakenLevelTime.text(0).getBytes(StandardCharsets.US_ASCII);

    private final String pair;
    private final int depth;
    private final byte[][] updates;
    private final int[][] timeOffsets;
    private final byte[] snapshot;
    private final int maxPayloadLength;

    private KrakenBookLoop(final String pair, final int depth, final List<Encoded> updates, final byte[] snapshot)
    {
        this.pair = pair;
        this.depth = depth;
        this.updates = new byte[updates.size()][];
        this.timeOffsets = new int[updates.size()][];
        int longest = 0;
        for (int i = 0; i < updates.size(); i++)
        {
            this.updates[i] = updates.get(i).text;
            this.timeOffsets[i] = updates.get(i).timeOffsets;
            longest = Math.max(longest, this.updates[i].length);
        }
        this.snapshot = snapshot;
        this.maxPayloadLength = 1 + MAX_CHANNEL_ID_DIGITS + 1 + longest;
    }

    /**
     * Reads the first book snapshot of {@code pair} in a Kraken v1 capture and the pair's book
     * updates after it (up to a second snapshot, if any).
     *
     * @param capture a {@code kraken-v1} capture of the {@code book} channel.
     * @param pair    the pair as Kraken v1 writes it ("XMR/USD").
     * @param depth   the depth clients subscribe at: 10, 25, 100, 500 or 1000, at most the capture's.
     * @return the loop.
     * @throws IllegalArgumentException if the capture has no snapshot of the pair followed by updates,
     *                                  or the depth is not one Kraken offers up to the capture's.
     */
    public static KrakenBookLoop fromCapture(final Capture capture, final String pair, final int depth)
    {
        Objects.requireNonNull(pair, "pair");
        final String ending = ",\"" + pair + "\"]";
        JsonNode snapshot = null;
        final List<JsonNode> updates = new ArrayList<>();
        for (int i = 0; i < capture.size(); i++)
        {
            if (capture.kind(i) != CaptureRecordKind.WS)
            {
                continue;
            }
            final String text = capture.payloadAsString(i);
            if (!text.startsWith("[") || !text.endsWith(ending))
            {
                continue;
            }
            final JsonNode message = parse(text);
            if (!channelName(message).startsWith("book-"))
            {
                continue;
            }
            final boolean isSnapshot = message.get(1).has("as") || message.get(1).has("bs");
            if (isSnapshot && snapshot != null)
            {
                break;
            }
            if (isSnapshot)
            {
                snapshot = message;
            }
            else if (snapshot != null)
            {
                updates.add(message);
            }
        }
        if (snapshot == null || updates.isEmpty())
        {
            throw new IllegalArgumentException("the capture has no book snapshot of " + pair + " followed by updates");
        }
        return of(pair, depth, snapshot, updates);
    }

    /**
     * @param pair     the pair.
     * @param depth    the depth clients subscribe at.
     * @param snapshot the recorded snapshot message, {@code [id,{"as":[…],"bs":[…]},"book-N","PAIR"]}.
     * @param updates  the recorded update messages after it, in order.
     * @return the loop: the updates re-cut to the depth, then the reset if the book moved.
     */
    static KrakenBookLoop of(final String pair, final int depth, final JsonNode snapshot, final List<JsonNode> updates)
    {
        final int recordedDepth = Integer.parseInt(channelName(snapshot).substring("book-".length()));
        if (!KrakenProtocol.DEPTHS.contains(depth) || depth > recordedDepth)
        {
            throw new IllegalArgumentException("depth " + depth + " is not one of " + KrakenProtocol.DEPTHS + " up to the capture's " + recordedDepth);
        }
        final Book start = new Book();
        start.apply(snapshot.get(1).path("as"), snapshot.get(1).path("bs"));
        start.truncate(recordedDepth);
        final Book book = start.copy();
        final List<Encoded> encoded = new ArrayList<>();
        for (final JsonNode update : updates)
        {
            final Book before = book.top(depth);
            for (int i = 1; i < update.size() - 2; i++)
            {
                book.apply(update.get(i).path("a"), update.get(i).path("b"));
            }
            book.truncate(recordedDepth);
            addUpdate(encoded, before, book, pair, depth);
        }
        addUpdate(encoded, book.top(depth), start, pair, depth);
        final Book first = start.top(depth);
        final StringBuilder text = new StringBuilder("{\"as\":");
        levels(text, new ArrayList<>(first.asks.values()), null);
        text.append(",\"bs\":");
        levels(text, new ArrayList<>(first.bids.values()), null);
        text.append('}');
        ending(text, depth, pair);
        return new KrakenBookLoop(pair, depth, encoded, text.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** @return the pair, as Kraken v1 writes it. */
    public String pair()
    {
        return pair;
    }

    /** @return the depth clients subscribe at ({@code book-<depth>}). */
    public int depth()
    {
        return depth;
    }

    /** @return updates per loop, the reset included. */
    public int size()
    {
        return updates.length;
    }

    /**
     * @param channelId the channel id the server gives the subscription (>= 0).
     * @return the answer to the client's subscribe:
     *         {@code {"channelID":id,"channelName":"book-N","event":"subscriptionStatus","pair":…,"status":"subscribed","subscription":{"depth":N,"name":"book"}}}.
     *         Kraken also echoes the request's {@code reqid} when it had one (XChange routes by it): a
     *         server inserts {@code "reqid":n,} after the opening brace.
     */
    public byte[] subscriptionStatusPayload(final int channelId)
    {
        checkChannelId(channelId);
        return ("{\"channelID\":" + channelId + ",\"channelName\":\"book-" + depth + "\",\"event\":\"subscriptionStatus\",\"pair\":\"" + pair +
            "\",\"status\":\"subscribed\",\"subscription\":{\"depth\":" + depth + ",\"name\":\"book\"}}").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * @param channelId the subscription's channel id (>= 0).
     * @return the snapshot the loop starts from, the top {@code depth} levels per side, best first:
     *         {@code [id,{"as":[…],"bs":[…]},"book-N","PAIR"]}.
     */
    public byte[] snapshotPayload(final int channelId)
    {
        checkChannelId(channelId);
        final byte[] prefix = ("[" + channelId + ",").getBytes(StandardCharsets.US_ASCII);
        final byte[] payload = Arrays.copyOf(prefix, prefix.length + snapshot.length);
        System.arraycopy(snapshot, 0, payload, prefix.length, snapshot.length);
        return payload;
    }

    /** @return the most bytes {@link #encodeUpdate} writes. */
    public int maxPayloadLength()
    {
        return maxPayloadLength;
    }

    /**
     * Writes update {@code message % size()} as a text payload (no WebSocket frame header), every
     * level's time set to {@code stampNs}. Allocates nothing.
     *
     * @param dst       where to write; at least {@link #maxPayloadLength()} bytes from {@code offset}.
     * @param offset    where the payload starts.
     * @param message   the message number, from 0 across loops.
     * @param stampNs   the send time, ns since the harness epoch, 0 .. 10^13 - 1 (see {@link KrakenLevelTime}).
     * @param channelId the subscription's channel id (>= 0).
     * @return the payload's length.
     * @throws IllegalArgumentException if the message number, stamp or channel id is out of range.
     */
    public int encodeUpdate(final byte[] dst, final int offset, final long message, final long stampNs, final int channelId)
    {
        if (message < 0)
        {
            throw new IllegalArgumentException("message numbers start at 0: " + message);
        }
        checkChannelId(channelId);
        final int index = (int)(message % updates.length);
        final byte[] update = updates[index];
        final int[] times = timeOffsets[index];
        int at = offset;
        dst[at++] = '[';
        at = putDigits(dst, at, channelId);
        dst[at++] = ',';
        System.arraycopy(update, 0, dst, at, update.length);
        KrakenLevelTime.write(dst, at + times[0], stampNs);
        for (int i = 1; i < times.length; i++)
        {
            System.arraycopy(dst, at + times[0], dst, at + times[i], KrakenLevelTime.LENGTH);
        }
        return at + update.length - offset;
    }

    /** Encodes the update that takes the client's book {@code before} to the top of {@code after}, unless nothing changes. */
    private static void addUpdate(final List<Encoded> encoded, final Book before, final Book after, final String pair, final int depth)
    {
        final List<String[]> asks = changes(before.asks, after.asks, depth);
        final List<String[]> bids = changes(before.bids, after.bids, depth);
        if (asks.isEmpty() && bids.isEmpty())
        {
            return;
        }
        final List<Integer> times = new ArrayList<>();
        final StringBuilder text = new StringBuilder();
        if (!asks.isEmpty())
        {
            text.append("{\"a\":");
            levels(text, asks, times);
            text.append(bids.isEmpty() ? "" : "},");
        }
        if (!bids.isEmpty())
        {
            text.append("{\"b\":");
            levels(text, bids, times);
        }
        text.append(",\"c\":\"").append(checksum(after.top(depth))).append("\"}");
        ending(text, depth, pair);
        encoded.add(new Encoded(text.toString().getBytes(StandardCharsets.US_ASCII), times.stream().mapToInt(Integer::intValue).toArray()));
    }

    /**
     * @param before the client's side, at most {@code depth} levels.
     * @param after  the whole side after the update.
     * @return deletions of {@code before}'s levels gone from {@code after}, then {@code after}'s top
     *         levels that {@code before} lacks or holds with other strings.
     */
    private static List<String[]> changes(final TreeMap<BigDecimal, String[]> before, final TreeMap<BigDecimal, String[]> after, final int depth)
    {
        final List<String[]> changes = new ArrayList<>();
        for (final Map.Entry<BigDecimal, String[]> level : before.entrySet())
        {
            if (!after.containsKey(level.getKey()))
            {
                changes.add(new String[] {level.getValue()[0], level.getValue()[1].replaceAll("[0-9]", "0")});
            }
        }
        int count = 0;
        for (final Map.Entry<BigDecimal, String[]> level : after.entrySet())
        {
            if (count++ == depth)
            {
                break;
            }
            if (!Arrays.equals(before.get(level.getKey()), level.getValue()))
            {
                changes.add(level.getValue());
            }
        }
        return changes;
    }

    /** Kraken's CRC32: the top 10 asks (ascending) then bids (descending), price then volume, '.' and leading zeros removed. */
    private static long checksum(final Book book)
    {
        final StringBuilder text = new StringBuilder();
        for (final TreeMap<BigDecimal, String[]> side : List.of(book.asks, book.bids))
        {
            int count = 0;
            for (final String[] level : side.values())
            {
                if (count++ == CHECKSUM_LEVELS)
                {
                    break;
                }
                text.append(checksumDigits(level[0])).append(checksumDigits(level[1]));
            }
        }
        final CRC32 crc = new CRC32();
        crc.update(text.toString().getBytes(StandardCharsets.US_ASCII));
        return crc.getValue();
    }

    private static String checksumDigits(final String decimal)
    {
        final String digits = decimal.replace(".", "");
        int start = 0;
        while (start < digits.length() - 1 && digits.charAt(start) == '0')
        {
            start++;
        }
        return digits.substring(start);
    }

    /** Appends {@code [["p","v","time"],…]}; records where each time starts when {@code times} is not null (updates), else writes stamp 0. */
    private static void levels(final StringBuilder text, final List<String[]> levels, final List<Integer> times)
    {
        text.append('[');
        for (int i = 0; i < levels.size(); i++)
        {
            text.append(i == 0 ? "[\"" : ",[\"").append(levels.get(i)[0]).append("\",\"").append(levels.get(i)[1]).append("\",\"");
            if (times != null)
            {
                times.add(text.length());
            }
            text.append(new String(ZERO_TIME, StandardCharsets.US_ASCII)).append("\"]");
        }
        text.append(']');
    }

    private static void ending(final StringBuilder text, final int depth, final String pair)
    {
        text.append(",\"book-").append(depth).append("\",\"").append(pair).append("\"]");
    }

    private static String channelName(final JsonNode message)
    {
        return message.isArray() && message.size() >= 4 ? message.get(message.size() - 2).asText() : "";
    }

    private static void checkChannelId(final int channelId)
    {
        if (channelId < 0)
        {
            throw new IllegalArgumentException("a channel id is >= 0: " + channelId);
        }
    }

    private static int putDigits(final byte[] dst, final int at, final int value)
    {
        int digits = 1;
        for (int rest = value / 10; rest != 0; rest /= 10)
        {
            digits++;
        }
        int rest = value;
        for (int i = at + digits - 1; i >= at; i--)
        {
            dst[i] = (byte)('0' + rest % 10);
            rest /= 10;
        }
        return at + digits;
    }

    private static JsonNode parse(final String text)
    {
        try
        {
            return JSON.readTree(text);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalArgumentException("recorded Kraken message is not JSON: " + text, ex);
        }
    }

    /** One update's text after {@code [<channelId>,} and where its level times start. */
    private record Encoded(byte[] text, int[] timeOffsets)
    {
    }

    /** A book by price: asks ascending, bids descending (best first); levels as {price, volume} strings as sent. */
    private record Book(TreeMap<BigDecimal, String[]> asks, TreeMap<BigDecimal, String[]> bids)
    {
        Book()
        {
            this(new TreeMap<>(), new TreeMap<>(Comparator.reverseOrder()));
        }

        Book copy()
        {
            final Book copy = new Book();
            copy.asks.putAll(asks);
            copy.bids.putAll(bids);
            return copy;
        }

        /** @return the best {@code depth} levels of each side. */
        Book top(final int depth)
        {
            final Book top = new Book();
            for (final String[] level : asks.values())
            {
                if (top.asks.size() == depth)
                {
                    break;
                }
                top.asks.put(new BigDecimal(level[0]), level);
            }
            for (final String[] level : bids.values())
            {
                if (top.bids.size() == depth)
                {
                    break;
                }
                top.bids.put(new BigDecimal(level[0]), level);
            }
            return top;
        }

        void apply(final JsonNode askLevels, final JsonNode bidLevels)
        {
            apply(asks, askLevels);
            apply(bids, bidLevels);
        }

        void truncate(final int depth)
        {
            while (asks.size() > depth)
            {
                asks.pollLastEntry();
            }
            while (bids.size() > depth)
            {
                bids.pollLastEntry();
            }
        }

        private static void apply(final TreeMap<BigDecimal, String[]> side, final JsonNode levels)
        {
            for (final JsonNode level : levels)
            {
                final String price = level.get(0).asText();
                final String volume = level.get(1).asText();
                if (new BigDecimal(volume).signum() == 0)
                {
                    side.remove(new BigDecimal(price));
                }
                else
                {
                    side.put(new BigDecimal(price), new String[] {price, volume});
                }
            }
        }
    }
}
