package io.loom.bench.e2e;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * A {@link DepthLoop} as a {@link StampedStream}: Binance spot combined-stream depthUpdates,
 * re-stamped, streamed right after the upgrade, with the REST depth snapshot at the stream's position.
 *
 * <pre>
 *   {"stream":"ethusdt@depth@100ms","data":{"e":"depthUpdate","E":SSSSSSSSSSSSS,"s":"ETHUSDT","U":IIIIIIIIII,"u":IIIIIIIIII,"b":[…],"a":[…]}}
 * </pre>
 *
 * <p>Every update of the loop is encoded once, at construction, with fixed-width slots: per send,
 * {@link #encodeUpdate} copies it and patches the stamp {@code E} (13 digits) and the update ids
 * {@code U} = {@code u} (10 digits) in place. {@code E} carries the send time in nanoseconds since
 * the harness epoch (not Binance's milliseconds): every system reads it as a plain integer (Loom as
 * milliseconds it scales by 10^6, XChange as a {@code Date}), so the consumer recovers it exactly
 * with {@link #sendTimeNs}. 13 digits means stamps from 10^12: the harness sets its epoch 10^12 ns
 * ({@link #STAMP_ORIGIN_NS}) before it starts, which leaves over two hours of stamps whose
 * {@code E} x 10^6 still fits a {@code long}. Ids start at {@value #FIRST_UPDATE_ID}, one per
 * update, so a looped session is gap-free by Binance's rules.
 *
 * <p>Thread-safety: immutable after construction; {@link #encodeUpdate} writes only to its argument.
 */
public final class BinanceDepthStream implements StampedStream
{
    /** How long before the first send the harness epoch lies, so every stamp has 13 digits. */
    public static final long STAMP_ORIGIN_NS = 1_000_000_000_000L;
    /** The largest stamp: Loom reads {@code E} as milliseconds and scales it by 10^6 into a {@code long}. */
    static final long MAX_STAMP_NS = Long.MAX_VALUE / 1_000_000L;
    /** The update id of update 0. */
    static final long FIRST_UPDATE_ID = 1_000_000_000L;
    private static final long LAST_UPDATE_ID = 9_999_999_999L;
    private static final int STAMP_DIGITS = 13;
    private static final int ID_DIGITS = 10;
    private static final String REST_PATH = "/api/v3/depth";
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 5000;

    private final DepthLoop loop;
    private final byte[][] templates;
    private final int stampAt;
    private final int firstIdAt;
    private final int lastIdAt;
    private final int maxPayloadLength;

    /** @param loop the recorded session to stream. */
    public BinanceDepthStream(final DepthLoop loop)
    {
        this.loop = loop;
        final String head = "{\"stream\":\"" + loop.symbol().toLowerCase(Locale.ROOT) + "@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":";
        final String ids = ",\"s\":\"" + loop.symbol() + "\",\"U\":";
        this.stampAt = head.length();
        this.firstIdAt = stampAt + STAMP_DIGITS + ids.length();
        this.lastIdAt = firstIdAt + ID_DIGITS + ",\"u\":".length();
        final String prefix = head + "0".repeat(STAMP_DIGITS) + ids + "0".repeat(ID_DIGITS) + ",\"u\":" + "0".repeat(ID_DIGITS) + ",";
        this.templates = new byte[loop.size()][];
        int max = 0;
        for (int i = 0; i < templates.length; i++)
        {
            final byte[] levels = loop.levels(i);
            final byte[] template = new byte[prefix.length() + levels.length + 2];
            System.arraycopy(prefix.getBytes(StandardCharsets.US_ASCII), 0, template, 0, prefix.length());
            System.arraycopy(levels, 0, template, prefix.length(), levels.length);
            template[template.length - 2] = '}';
            template[template.length - 1] = '}';
            templates[i] = template;
            max = Math.max(max, template.length);
        }
        this.maxPayloadLength = max;
    }

    /**
     * @param stamp   the {@code E} value a consumer read.
     * @param epochNs the harness epoch on the {@link System#nanoTime()} clock.
     * @return the send time on the {@link System#nanoTime()} clock.
     */
    static long sendTimeNs(final long stamp, final long epochNs)
    {
        return epochNs + stamp;
    }

    @Override
    public boolean streamsAfterSubscribe()
    {
        return false;
    }

    @Override
    public List<byte[]> openingPayloads(final String subscribe)
    {
        return List.of();
    }

    /** Serves {@code GET /api/v3/depth?…&limit=N} (100 levels if absent, at most 5000): the book before update {@code position}. */
    @Override
    public byte[] restBody(final String pathAndQuery, final long position)
    {
        if (!pathAndQuery.startsWith(REST_PATH))
        {
            return null;
        }
        return loop.snapshotJson(position, FIRST_UPDATE_ID + position - 1, limit(pathAndQuery)).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public int maxPayloadLength()
    {
        return maxPayloadLength;
    }

    /**
     * @throws IllegalArgumentException if {@code stampNs} is outside 10^12 .. {@link #MAX_STAMP_NS} (the
     *                                  epoch was not set {@link #STAMP_ORIGIN_NS} early) or the ids ran out.
     */
    @Override
    public int encodeUpdate(final byte[] dst, final int offset, final long message, final long stampNs)
    {
        if (stampNs < STAMP_ORIGIN_NS || stampNs > MAX_STAMP_NS)
        {
            throw new IllegalArgumentException("stamp out of the 13-digit range 10^12.." + MAX_STAMP_NS + ": " + stampNs);
        }
        final long updateId = FIRST_UPDATE_ID + message;
        if (message < 0 || updateId > LAST_UPDATE_ID)
        {
            throw new IllegalArgumentException("update number out of range: " + message);
        }
        final byte[] template = templates[(int)(message % templates.length)];
        System.arraycopy(template, 0, dst, offset, template.length);
        putDigits(dst, offset + stampAt, STAMP_DIGITS, stampNs);
        putDigits(dst, offset + firstIdAt, ID_DIGITS, updateId);
        putDigits(dst, offset + lastIdAt, ID_DIGITS, updateId);
        return template.length;
    }

    private static void putDigits(final byte[] dst, final int at, final int digits, final long value)
    {
        long rest = value;
        for (int i = at + digits - 1; i >= at; i--)
        {
            dst[i] = (byte)('0' + rest % 10);
            rest /= 10;
        }
    }

    /** @return the {@code limit} query parameter, 100 if absent (Binance's default), within 1..5000. */
    private static int limit(final String path)
    {
        final int at = path.indexOf("limit=");
        if (at < 0)
        {
            return DEFAULT_LIMIT;
        }
        int end = at + "limit=".length();
        while (end < path.length() && Character.isDigit(path.charAt(end)))
        {
            end++;
        }
        return end == at + "limit=".length() ? DEFAULT_LIMIT : (int)Math.clamp(Long.parseLong(path.substring(at + "limit=".length(), end)), 1, MAX_LIMIT);
    }
}
