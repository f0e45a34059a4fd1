package io.loom.connectors.binance;

import io.loom.api.instrument.Venue;

/**
 * The Binance markets a {@link BinanceFeed} serves, each with its venue, its REST depth-snapshot
 * path and its book synchronisation rule (Binance's documented procedure, checked against the
 * bundled recordings under data/captures, see data/PROVENANCE.md):
 *
 * <pre>
 *   market   REST path        drop a diff when   first applied diff    then every diff
 *   SPOT     /api/v3/depth    u &lt;= L            U &lt;= L+1 &lt;= u        U == previous u + 1
 *   USD_M    /fapi/v1/depth   u &lt;  L            U &lt;= L &lt;= u          pu == previous u
 *   COIN_M   /dapi/v1/depth   u &lt;  L            U &lt;= L &lt;= u          pu == previous u
 * </pre>
 *
 * (L = the snapshot's {@code lastUpdateId}; U, u, pu = a diff's first, final and previous final
 * update id.)
 *
 * <p>Thread-safety: immutable.
 */
public enum BinanceMarket
{
    /** Binance spot. */
    SPOT(Venue.BINANCE_SPOT, "/api/v3/depth", false),
    /** Binance USD-M futures. */
    USD_M(Venue.BINANCE_USDM, "/fapi/v1/depth", true),
    /** Binance COIN-M futures. */
    COIN_M(Venue.BINANCE_COINM, "/dapi/v1/depth", true);

    private final Venue venue;
    private final String restDepthPath;
    private final boolean futuresRule;

    BinanceMarket(final Venue venue, final String restDepthPath, final boolean futuresRule)
    {
        this.venue = venue;
        this.restDepthPath = restDepthPath;
        this.futuresRule = futuresRule;
    }

    /** @return the venue whose id the feed's events carry. */
    public Venue venue()
    {
        return venue;
    }

    /** @return the path of the REST depth snapshot ({@code /api/v3/depth}). */
    public String restDepthPath()
    {
        return restDepthPath;
    }

    /** @return true for the futures rule (diffs carry {@code pu}, chained on it). */
    public boolean chainsOnPreviousUpdateId()
    {
        return futuresRule;
    }

    /**
     * @param finalUpdateId  the diff's {@code u}.
     * @param lastUpdateId   the snapshot's {@code L}.
     * @return true if the diff is older than the snapshot and must be dropped.
     */
    public boolean isOlderThanSnapshot(final long finalUpdateId, final long lastUpdateId)
    {
        return futuresRule ? finalUpdateId < lastUpdateId : finalUpdateId <= lastUpdateId;
    }

    /**
     * @param firstUpdateId the diff's {@code U}.
     * @param finalUpdateId the diff's {@code u}.
     * @param lastUpdateId  the snapshot's {@code L}.
     * @return true if the diff may be the first one applied on top of the snapshot.
     */
    public boolean bridgesSnapshot(final long firstUpdateId, final long finalUpdateId, final long lastUpdateId)
    {
        final long next = futuresRule ? lastUpdateId : lastUpdateId + 1;
        return firstUpdateId <= next && next <= finalUpdateId;
    }

    /**
     * @param firstUpdateId         the diff's {@code U}.
     * @param previousFinalUpdateId the diff's {@code pu} (futures; ignored on spot).
     * @param appliedFinalUpdateId  the {@code u} of the diff applied before it.
     * @return true if the diff continues the chain without a gap.
     */
    public boolean continuesChain(final long firstUpdateId, final long previousFinalUpdateId, final long appliedFinalUpdateId)
    {
        return futuresRule ? previousFinalUpdateId == appliedFinalUpdateId : firstUpdateId == appliedFinalUpdateId + 1;
    }

    /**
     * @param venueCode a venue code as in a capture's {@code #venue} header ("binance-spot").
     * @return the market.
     * @throws IllegalArgumentException if the code names no Binance market.
     */
    public static BinanceMarket byVenueCode(final String venueCode)
    {
        for (final BinanceMarket market : values())
        {
            if (market.venue.code().equals(venueCode))
            {
                return market;
            }
        }
        throw new IllegalArgumentException("'" + venueCode + "' is not a Binance market; known: binance-spot, binance-usdm, binance-coinm");
    }
}
