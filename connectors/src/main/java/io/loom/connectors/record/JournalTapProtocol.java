package io.loom.connectors.record;

import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.source.EventPublisher;
import io.loom.connectors.feed.ResyncRequests;
import io.loom.connectors.feed.VenueFeed;
import io.loom.connectors.session.ForwardingVenueProtocol;
import io.loom.connectors.session.VenueProtocol;
import io.loom.connectors.verify.UnsupportedVenueException;
import io.loom.connectors.verify.VenueFeeds;
import io.loom.runtime.journal.JournalVenues;
import io.loom.runtime.journal.JournalWriter;

import java.util.List;

/**
 * A {@link VenueProtocol} that records: everything is the wrapped venue's, except that its feed is
 * the discovering feed replay uses ({@link VenueFeeds#discovering}), wrapped in a
 * {@link JournalTapFeed}. Decoding live with the very feed that decodes the journal later is what
 * makes live and replayed output equal (the same instruments, exponents and book sync).
 *
 * <pre>
 *   new FeedSession(new JournalTapProtocol(protocol, journal, 0), config)
 * </pre>
 *
 * <p>Thread-safety: immutable apart from the tap it made; the session calls it on its reactor.
 */
public final class JournalTapProtocol extends ForwardingVenueProtocol
{
    private final JournalWriter journal;
    private final int conn;
    private JournalTapFeed tap;

    /**
     * @param venue   the venue to record.
     * @param journal where records go.
     * @param conn    the connection number the records carry (one per session in the journal).
     * @throws UnsupportedVenueException if replay has no feed for the venue.
     */
    public JournalTapProtocol(final VenueProtocol venue, final JournalWriter journal, final int conn)
    {
        super(replayable(venue));
        this.journal = journal;
        this.conn = conn;
    }

    private static VenueProtocol replayable(final VenueProtocol venue)
    {
        if (!VenueFeeds.SUPPORTED.contains(venue.venueId()))
        {
            throw new UnsupportedVenueException(venue.venueId(), VenueFeeds.SUPPORTED);
        }
        return venue;
    }

    @Override
    public List<String> resubscribeMessages(final Instrument instrument)
    {
        final List<String> messages = venue.resubscribeMessages(instrument);
        if (tap != null)
        {
            tap.onSent(messages);
        }
        return messages;
    }

    @Override
    public VenueFeed newFeed(final InstrumentRegistry instruments, final EventPublisher publisher, final ResyncRequests resyncs)
    {
        tap = new JournalTapFeed(journal, conn, JournalVenues.code(venue.venueId()), venue.webSocketUri().toString(),
            venue.subscribeMessages(), VenueFeeds.discovering(venue.venueId(), instruments, publisher, resyncs));
        return tap;
    }
}
