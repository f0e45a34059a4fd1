package io.loom.cli.run;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * One source of a {@code loom run} config, validated: a live venue session ({@code $.sources[i]}).
 *
 * <p>Thread-safety: immutable.
 *
 * @param venue         a venue id: {@code binance-spot}, {@code binance-usdm}, {@code binance-coinm}, {@code kraken-v1}, {@code kraken-v2}.
 * @param symbols       the venue's symbols ({@code ETHUSDT}, {@code XBT/USD}), at least one, no duplicates.
 * @param endpoint      the WebSocket endpoint instead of the venue's live one, or null for the live one.
 * @param caCert        a PEM certificate trusted for {@code wss://} and {@code https://} besides the JDK's, or null.
 * @param depth         Kraken's book depth (10, 25, 100, 500, 1000); 0 for Binance.
 * @param priceExponent decimal exponent of price mantissas, -18..0.
 * @param sizeExponent  decimal exponent of quantity mantissas, -18..0.
 */
public record SourceConfig(
    String venue, List<String> symbols, URI endpoint, Path caCert, int depth, int priceExponent, int sizeExponent)
{
    /** Copies the list. */
    public SourceConfig
    {
        symbols = List.copyOf(symbols);
    }
}
