package io.loom.connectors.binance;

import java.util.Locale;

/**
 * Crafted Binance messages for sync and error tests, shaped like the recorded ones.
 *
 * <p>Thread-safety: stateless.
 */
final class BinanceFrames
{
    static final String SPOT_DEPTH_URL = "https://api.binance.com/api/v3/depth?symbol=ETHUSDT&limit=1000";
    static final String USDM_DEPTH_URL = "https://fapi.binance.com/fapi/v1/depth?symbol=ETHUSDT&limit=1000";

    private BinanceFrames()
    {
    }

    static String spotDiff(final String symbol, final long first, final long last, final String bids, final String asks)
    {
        return "{\"stream\":\"" + symbol.toLowerCase(Locale.ROOT) + "@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":1723161255308,\"s\":\"" +
            symbol + "\",\"U\":" + first + ",\"u\":" + last + ",\"b\":" + bids + ",\"a\":" + asks + "}}";
    }

    static String futuresDiff(final String symbol, final long first, final long last, final long previous, final String bids, final String asks)
    {
        return "{\"stream\":\"" + symbol.toLowerCase(Locale.ROOT) + "@depth@0ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":1723161256303,\"T\":1723161256302,\"s\":\"" +
            symbol + "\",\"U\":" + first + ",\"u\":" + last + ",\"pu\":" + previous + ",\"b\":" + bids + ",\"a\":" + asks + "}}";
    }

    static String snapshot(final long lastUpdateId, final String bids, final String asks)
    {
        return "{\"lastUpdateId\":" + lastUpdateId + ",\"bids\":" + bids + ",\"asks\":" + asks + "}";
    }

    static String spotTicker(final String symbol, final long updateId, final String bid, final String bidSize, final String ask, final String askSize)
    {
        return "{\"stream\":\"" + symbol.toLowerCase(Locale.ROOT) + "@bookTicker\",\"data\":{\"u\":" + updateId + ",\"s\":\"" + symbol +
            "\",\"b\":\"" + bid + "\",\"B\":\"" + bidSize + "\",\"a\":\"" + ask + "\",\"A\":\"" + askSize + "\"}}";
    }

    static String levels(final String... priceQuantityPairs)
    {
        final StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < priceQuantityPairs.length; i += 2)
        {
            json.append(i == 0 ? "" : ",").append("[\"").append(priceQuantityPairs[i]).append("\",\"").append(priceQuantityPairs[i + 1]).append("\"]");
        }
        return json.append(']').toString();
    }
}
