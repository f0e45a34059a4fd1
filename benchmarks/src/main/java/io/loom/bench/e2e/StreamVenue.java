package io.loom.bench.e2e;

import java.util.Locale;

/**
 * The recorded streams the end-to-end harness can serve ({@code --venue}), each with the one
 * instrument its systems keep a book of:
 *
 * <pre>
 *   binance  ETHUSDT depth@100ms diffs + REST snapshot   ({@link DepthLoop}, {@link BinanceDepthStream})
 *   kraken   XMR/USD v1 book-1000, CRC32 on every update  ({@link KrakenBookLoop}, {@link KrakenBookStream})
 *   both served by the {@link StampedStreamServer} in its own JVM
 * </pre>
 *
 * <p>Thread-safety: immutable.
 */
public enum StreamVenue
{
    /** Binance spot ETHUSDT, {@code data/captures/binance-spot/ethusdt_depth100ms-trade-bookticker_2024-08-08.capture.gz}. */
    BINANCE("binance-spot/ethusdt_depth100ms-trade-bookticker_2024-08-08.capture.gz", "ETHUSDT"),
    /** Kraken v1 XMR/USD at depth 1000, {@code data/captures/kraken-v1/10pairs_book1000_2021-04-17.capture.gz}. */
    KRAKEN("kraken-v1/10pairs_book1000_2021-04-17.capture.gz", "XMR/USD");

    /** The Kraken book depth every system subscribes at: the capture's own. */
    public static final int KRAKEN_DEPTH = 1000;

    private final String capture;
    private final String instrument;

    StreamVenue(final String capture, final String instrument)
    {
        this.capture = capture;
        this.instrument = instrument;
    }

    /** @return the name in options and results: "binance" or "kraken". */
    public String id()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the bundled capture, relative to {@code data/captures}. */
    public String capture()
    {
        return capture;
    }

    /** @return the symbol or pair the systems keep a book of, as the venue writes it. */
    public String instrument()
    {
        return instrument;
    }
}
