package io.loom.examples;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the recorded sessions bundled with Loom ({@code data/captures}, see {@code data/PROVENANCE.md})
 * for the examples' defaults: under {@code -Dloom.home} when set (the {@code ./loom} launcher sets it),
 * else in the working directory or the first of its parents that holds {@code data/captures}.
 *
 * <p>Thread-safety: stateless.
 */
public final class BundledCaptures
{
    /** Binance spot ETHUSDT, depth diffs + trades + bookTicker, 650 s (2024-08-08). */
    public static final String BINANCE_SPOT_ETHUSDT = "binance-spot/ethusdt_depth100ms-trade-bookticker_2024-08-08.capture.gz";
    /** Binance USD-M ETHUSDT perpetual, unthrottled depth diffs + trades + bookTicker, 345 s (2024-08-08, same minutes as spot). */
    public static final String BINANCE_USDM_ETHUSDT = "binance-usdm/ethusdt_depth0ms-trade-bookticker_2024-08-08.capture.gz";
    /** Binance spot NKNUSDT, BLZETH, LRCBTC, RUNEEUR: 270 records, 31 s (2021-10-12). */
    public static final String BINANCE_SPOT_4SYMBOLS = "binance-spot/4symbols_depth100ms-bookticker-aggtrade-kline_2021-10-12.capture.gz";

    private BundledCaptures()
    {
    }

    /**
     * @param relative a capture's path under {@code data/captures}, such as {@link #BINANCE_SPOT_ETHUSDT}.
     * @return the capture file.
     * @throws FileNotFoundException naming where it looked if the capture is not found.
     */
    public static Path find(final String relative) throws FileNotFoundException
    {
        final String home = System.getProperty("loom.home");
        if (home != null)
        {
            final Path file = Path.of(home, "data", "captures").resolve(relative);
            if (Files.isRegularFile(file))
            {
                return file;
            }
            throw new FileNotFoundException(file + ": no such capture (-Dloom.home=" + home + ")");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            final Path file = dir.resolve("data").resolve("captures").resolve(relative);
            if (Files.isRegularFile(file))
            {
                return file;
            }
        }
        throw new FileNotFoundException("data/captures/" + relative + " not found from " + Path.of("").toAbsolutePath() +
            " upwards: run from the Loom repository or pass -Dloom.home=<repository>");
    }
}
