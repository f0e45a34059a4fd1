package io.loom.connectors.binance;

import io.loom.runtime.capture.Capture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bundled Binance captures, found by walking up from the working directory to the first
 * directory holding {@code data/captures}, and loaded once per test JVM.
 *
 * <p>Thread-safety: thread-safe.
 */
final class BinanceCaptures
{
    static final String SPOT_ETHUSDT = "binance-spot/ethusdt_depth100ms-trade-bookticker_2024-08-08.capture.gz";
    static final String SPOT_4SYMBOLS = "binance-spot/4symbols_depth100ms-bookticker-aggtrade-kline_2021-10-12.capture.gz";
    static final String USDM_ETHUSDT = "binance-usdm/ethusdt_depth0ms-trade-bookticker_2024-08-08.capture.gz";
    static final String COINM_10SYMBOLS = "binance-coinm/10symbols_depth100ms-bookticker-aggtrade_2021-04-17.capture.gz";

    private static final Map<String, Capture> LOADED = new ConcurrentHashMap<>();

    private BinanceCaptures()
    {
    }

    /**
     * @param relative a path under {@code data/captures}.
     * @return the capture, loaded once.
     */
    static Capture load(final String relative)
    {
        return LOADED.computeIfAbsent(relative, BinanceCaptures::read);
    }

    private static Capture read(final String relative)
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            final Path file = dir.resolve("data").resolve("captures").resolve(relative);
            if (Files.isRegularFile(file))
            {
                try
                {
                    return Capture.load(file);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            }
        }
        throw new AssertionError("no data/captures/" + relative + " above " + Path.of("").toAbsolutePath());
    }
}
