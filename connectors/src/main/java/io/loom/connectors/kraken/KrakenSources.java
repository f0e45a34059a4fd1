package io.loom.connectors.kraken;

import io.loom.connectors.session.FeedSession;
import io.loom.connectors.session.FeedSessionConfig;
import io.loom.connectors.session.InstrumentSpec;

import java.util.List;

/**
 * Live Kraken sources for a pipeline, with the venue's defaults:
 *
 * <pre>{@code
 * Pipeline.builder("kraken-books")
 *     .source(KrakenSources.v1Book(List.of(new InstrumentSpec("XBT/USD", -1, -8)), 100))
 *     .stage("books", OrderBookStage::new)
 *     ...
 * }</pre>
 *
 * <p>Thread-safety: stateless.
 */
public final class KrakenSources
{
    private KrakenSources()
    {
    }

    /**
     * The v1 {@code book} channel of {@code wss://ws.kraken.com}, CRC32-verified, resynced by resubscribing.
     *
     * @param pairs the pairs ("XBT/USD") with their price and volume exponents.
     * @param depth the book depth: 10, 25, 100, 500 or 1000.
     * @return the session, to add to a pipeline.
     */
    public static FeedSession v1Book(final List<InstrumentSpec> pairs, final int depth)
    {
        final KrakenV1Protocol protocol = new KrakenV1Protocol(pairs, depth, false, KrakenV1Protocol.LIVE_ENDPOINT);
        return new FeedSession(protocol, FeedSessionConfig.forVenue(protocol));
    }

    /**
     * The v1 {@code book} and {@code trade} channels of {@code wss://ws.kraken.com}.
     *
     * @param pairs the pairs with their exponents.
     * @param depth the book depth.
     * @return the session.
     */
    public static FeedSession v1BookAndTrades(final List<InstrumentSpec> pairs, final int depth)
    {
        final KrakenV1Protocol protocol = new KrakenV1Protocol(pairs, depth, true, KrakenV1Protocol.LIVE_ENDPOINT);
        return new FeedSession(protocol, FeedSessionConfig.forVenue(protocol));
    }

    /**
     * The v2 {@code book} channel of {@code wss://ws.kraken.com/v2}, CRC32-verified, resynced by resubscribing.
     *
     * @param symbols the symbols ("BTC/USD") with their price and quantity exponents.
     * @param depth   the book depth: 10, 25, 100, 500 or 1000.
     * @return the session, to add to a pipeline.
     */
    public static FeedSession v2Book(final List<InstrumentSpec> symbols, final int depth)
    {
        final KrakenV2Protocol protocol = new KrakenV2Protocol(symbols, depth, false, KrakenV2Protocol.LIVE_ENDPOINT);
        return new FeedSession(protocol, FeedSessionConfig.forVenue(protocol));
    }
}
