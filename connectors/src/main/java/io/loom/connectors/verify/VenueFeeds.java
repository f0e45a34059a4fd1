package io.loom.connectors.verify;

import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.source.EventPublisher;
import io.loom.connectors.binance.BinanceFeed;
import io.loom.connectors.feed.ResyncRequests;
import io.loom.connectors.feed.VenueFeed;
import io.loom.connectors.kraken.KrakenV1Feed;
import io.loom.connectors.kraken.KrakenV2Feed;
import java.util.List;

/**
 * The venue feeds by the venue ids captures use ({@code #venue binance-spot}): which feed decodes
 * a recorded session.
 *
 * <p>Thread-safety: stateless.
 */
public final class VenueFeeds
{
    /** The capture venue ids that have a feed. */
    public static final List<String> SUPPORTED = List.of("binance-spot", "binance-usdm", "binance-coinm", KrakenV1Feed.VENUE_ID, KrakenV2Feed.VENUE_ID);

    private VenueFeeds()
    {
    }

    /**
     * A feed in discover mode (it interns every symbol on first sight), for a recorded session.
     *
     * @param venueId   the capture's venue id.
     * @param registry  where symbols are interned.
     * @param publisher receives the feed's events.
     * @param resyncs   told which books need a new start.
     * @return the feed.
     * @throws UnsupportedVenueException if no feed decodes that venue.
     */
    public static VenueFeed discovering(
        final String venueId,
        final InstrumentRegistry registry,
        final EventPublisher publisher,
        final ResyncRequests resyncs)
    {
        return switch (venueId)
        {
            case "binance-spot", "binance-usdm", "binance-coinm" -> BinanceFeed.forVenue(venueId, registry, List.of(), true, publisher, resyncs);
            case KrakenV1Feed.VENUE_ID -> new KrakenV1Feed(registry, true, publisher, resyncs);
            case KrakenV2Feed.VENUE_ID -> new KrakenV2Feed(registry, true, publisher, resyncs);
            default -> throw new UnsupportedVenueException(venueId, SUPPORTED);
        };
    }

    /**
     * A {@link #discovering} feed that replays a recording: every recorded snapshot is applied, as
     * the answer to a resync the live session asked for ({@link BinanceFeed#applyEverySnapshot()};
     * Kraken's in-band snapshots always apply).
     *
     * @param venueId   the recording's venue id.
     * @param registry  where symbols are interned.
     * @param publisher receives the feed's events.
     * @param resyncs   told which books need a new start.
     * @return the feed.
     * @throws UnsupportedVenueException if no feed decodes that venue.
     */
    public static VenueFeed replaying(
        final String venueId,
        final InstrumentRegistry registry,
        final EventPublisher publisher,
        final ResyncRequests resyncs)
    {
        final VenueFeed feed = discovering(venueId, registry, publisher, resyncs);
        if (feed instanceof BinanceFeed binance)
        {
            binance.applyEverySnapshot();
        }
        return feed;
    }
}
