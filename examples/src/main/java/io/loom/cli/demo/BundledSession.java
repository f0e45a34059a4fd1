package io.loom.cli.demo;

import io.loom.connectors.binance.BinanceMarket;
import io.loom.connectors.binance.BinanceProtocol;
import io.loom.connectors.kraken.KrakenV1Protocol;
import io.loom.connectors.session.InstrumentSpec;
import io.loom.connectors.session.VenueProtocol;
import java.net.URI;
import java.util.List;

/**
 * The bundled real recordings {@code loom demo} serves (under {@code data/captures}, see
 * {@code data/PROVENANCE.md}): those whose checks all pass offline. The Binance COIN-M capture is
 * left out on purpose: it holds an exchange-side inconsistency (two REST snapshots disagree with the
 * stream, 5 bookTicker cross-checks fail by design), so it would fail a demo that must pass.
 *
 * <p>Binance spot books are synchronised from 5000-level snapshots, so a book synchronised
 * mid-stream from the simulator ends identical to the offline one, deep levels included. USD-M
 * allows at most 1000 levels: a live book synchronised mid-stream cannot know the deeper levels the
 * stream had built by then, and as prices move such levels come within the top 1000 (seen at levels
 * 794 and 965), so it is compared with the offline one on its 100 best levels per side.
 *
 * <p>The 2021 four-symbol recording is sparse (265 frames in 31 s; RUNEEUR has two diffs, the last
 * one is the recording's last frame) and is never played faster than 1.5 times its recorded speed:
 * faster, a symbol's REST snapshot (an HTTPS request each, one at a time) may be served after the
 * simulator streamed that symbol's last diff, and its book would stay unsynchronised.
 *
 * <p>Thread-safety: immutable.
 */
public enum BundledSession
{
    /** Binance spot ETHUSDT, 79,743 frames over 650 s (2024-08-08). */
    BINANCE_SPOT_ETHUSDT("binance-spot/ethusdt_depth100ms-trade-bookticker_2024-08-08.capture.gz", BinanceMarket.SPOT,
        BinanceProtocol.DEFAULT_STREAMS, 5000, Integer.MAX_VALUE, Double.POSITIVE_INFINITY),
    /** Binance spot NKNUSDT, BLZETH, LRCBTC, RUNEEUR, 265 frames over 31 s (2021-10-12). */
    BINANCE_SPOT_4SYMBOLS("binance-spot/4symbols_depth100ms-bookticker-aggtrade-kline_2021-10-12.capture.gz", BinanceMarket.SPOT,
        List.of("depth@100ms", "bookTicker", "aggTrade", "kline_1m"), 5000, Integer.MAX_VALUE, 1.5),
    /** Binance USD-M ETHUSDT, 74,654 frames over 345 s (2024-08-08). */
    BINANCE_USDM_ETHUSDT("binance-usdm/ethusdt_depth0ms-trade-bookticker_2024-08-08.capture.gz", BinanceMarket.USD_M,
        List.of("depth@0ms", "bookTicker", "trade"), 1000, 100, Double.POSITIVE_INFINITY),
    /** Kraken v1 book-1000, ten pairs with CRC32 checksums, 4,321 frames over 31 s (2021-04-17). */
    KRAKEN_V1_BOOK("kraken-v1/10pairs_book1000_2021-04-17.capture.gz", null, List.of(), 1000, Integer.MAX_VALUE, Double.POSITIVE_INFINITY);

    private final String path;
    private final BinanceMarket market;
    private final List<String> streams;
    private final int depth;
    private final int comparedLevels;
    private final double maxSpeed;

    BundledSession(final String path, final BinanceMarket market, final List<String> streams, final int depth, final int comparedLevels,
        final double maxSpeed)
    {
        this.path = path;
        this.market = market;
        this.streams = streams;
        this.depth = depth;
        this.comparedLevels = comparedLevels;
        this.maxSpeed = maxSpeed;
    }

    /** @return the capture's path relative to {@code data/captures}. */
    public String path()
    {
        return path;
    }

    /** @return levels per side a live book must share with the offline one to count as verified ({@link Integer#MAX_VALUE}: all). */
    public int comparedLevels()
    {
        return comparedLevels;
    }

    /** @return the fastest this recording is played, a factor of recorded time. */
    public double maxSpeed()
    {
        return maxSpeed;
    }

    /** @return a short name for reports: the path without the {@code .capture.gz} suffix. */
    public String label()
    {
        return path.substring(0, path.length() - ".capture.gz".length());
    }

    /**
     * The client side of the session: the venue protocol a live connector would use, pointed at the
     * simulator.
     *
     * @param instruments   the symbols with their exponents (as offline verification discovered them).
     * @param webSocketBase the simulator's {@code wss://127.0.0.1:port/}.
     * @param restBase      the simulator's {@code https://127.0.0.1:port}.
     * @return the protocol.
     */
    public VenueProtocol protocol(final List<InstrumentSpec> instruments, final URI webSocketBase, final URI restBase)
    {
        if (market == null)
        {
            return new KrakenV1Protocol(instruments, depth, false, webSocketBase);
        }
        return new BinanceProtocol(market, instruments, streams, depth, webSocketBase, restBase);
    }
}
