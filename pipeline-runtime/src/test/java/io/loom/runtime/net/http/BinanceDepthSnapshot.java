package io.loom.runtime.net.http;

import java.util.Random;

/** A real-looking Binance {@code GET /api/v3/depth} answer, generated deterministically. */
final class BinanceDepthSnapshot
{
    private BinanceDepthSnapshot()
    {
    }

    /**
     * {@code {"lastUpdateId":…,"bids":[["price","qty"],…],"asks":[…]}} with Binance's 8-decimal
     * strings, bids descending and asks ascending from a mid of 64 123.45.
     *
     * @param levelsPerSide price levels on each side; 750 gives about 50 KB.
     */
    static String json(final int levelsPerSide)
    {
        final Random random = new Random(20260421L);
        final StringBuilder json = new StringBuilder(levelsPerSide * 70 + 64)
            .append("{\"lastUpdateId\":71283421967,\"bids\":[");
        appendSide(json, random, levelsPerSide, 6_412_345L, -1);
        json.append("],\"asks\":[");
        appendSide(json, random, levelsPerSide, 6_412_346L, +1);
        return json.append("]}").toString();
    }

    private static void appendSide(
        final StringBuilder json, final Random random, final int levels, final long firstPriceCents, final int step)
    {
        long priceCents = firstPriceCents;
        for (int i = 0; i < levels; i++)
        {
            if (i > 0)
            {
                json.append(',');
            }
            final long qtyE8 = 1 + random.nextInt(250_000_000);
            json.append("[\"").append(priceCents / 100).append('.').append(twoDigits(priceCents % 100)).append("000000\",\"")
                .append(qtyE8 / 100_000_000).append('.').append(String.format("%08d", qtyE8 % 100_000_000)).append("\"]");
            priceCents += step * (1 + random.nextInt(3));
        }
    }

    private static String twoDigits(final long value)
    {
        return value < 10 ? "0" + value : Long.toString(value);
    }
}
