package io.loom.connectors.session;

import io.loom.api.instrument.Instrument;
import io.loom.api.instrument.InstrumentRegistry;
import io.loom.api.source.Source;
import io.loom.api.source.SourceContext;
import io.loom.connectors.feed.ResyncRequests;
import io.loom.connectors.feed.VenueFeed;
import io.loom.runtime.fiber.FiberBaton;
import io.loom.runtime.fiber.FiberScheduler;

import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A live connection to one venue as a pipeline {@link Source}: fibers on the pipeline's reactor
 * that keep a WebSocket connected and subscribed, hand every message to the venue's
 * {@link VenueFeed}, and rebuild books when the feed (or the pipeline) asks.
 *
 * <pre>
 *   connection fiber ("&lt;venue&gt;-ws")                           snapshot fiber ("&lt;venue&gt;-rest", REST venues)
 *   connect ─▶ feed.onConnected ─▶ send subscriptions (paced)     await baton ─▶ Retry-After / budget wait
 *     loop: receive(poll interval) ─▶ feed.onFrame                   ─▶ GET snapshot ─▶ mailbox
 *           mailbox ─▶ feed.onRestResponse                                   ▲
 *           pipeline resyncs ─▶ feed.resync                                  │
 *           feed resyncs ─▶ resubscribe (RESUBSCRIBE venues) ── or ── baton.post (REST venues)
 *           silence / maximum age / application ping
 *   failure ─▶ feed.onDisconnected ─▶ back-off with full jitter ─▶ connect again
 * </pre>
 *
 * <p>The connection fiber is the feed's one thread: every call into the feed happens there, so the
 * feed never sees two calls at once even while one of them waits for ring room. REST responses
 * and the pipeline's resync requests are handed to it and applied between messages; it waits for
 * a message at most the configured poll interval, so they are applied promptly on a quiet
 * connection too. Every failure is typed and counted in {@link #counters()}, logged once when the
 * session's state changes, and never reaches the reactor. When the pipeline closes, the reactor
 * interrupts both fibers, which close their sockets and end.
 *
 * <p>Thread-safety: {@link #start} once, from the pipeline; {@link #onResyncRequested} on the
 * reactor; {@link #counters()} and {@link #state()} from any thread.
 */
public final class FeedSession implements Source
{
    private final VenueProtocol protocol;
    private final FeedSessionConfig config;
    private final String name;
    private final SessionCounters counters = new SessionCounters();
    private final FeedResyncs feedResyncs = new FeedResyncs();
    private final InstrumentQueue pipelineResyncs = new InstrumentQueue(64);
    private final InstrumentQueue resyncsToServe = new InstrumentQueue(64);
    private final ArrayDeque<FetchedSnapshot> snapshots = new ArrayDeque<>();
    private final FiberBaton snapshotWanted = new FiberBaton();
    private volatile SessionState state = SessionState.NEW;
    private FiberScheduler reactor;
    private InstrumentRegistry instruments;
    private VenueFeed feed;
    private int connection;
    private boolean snapshotInFlight;

    /**
     * @param protocol the venue.
     * @param config   the session's settings, e.g. {@link FeedSessionConfig#forVenue(VenueProtocol)}.
     */
    public FeedSession(final VenueProtocol protocol, final FeedSessionConfig config)
    {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.config = Objects.requireNonNull(config, "config");
        this.name = protocol.venueId() + " " + protocol.webSocketUri().getHost();
    }

    @Override
    public String name()
    {
        return name;
    }

    /**
     * Makes the feed (interning its instruments) and spawns the session's fibers on the pipeline's
     * reactor.
     *
     * @param context the pipeline's reactor (a Loom {@link FiberScheduler}), instruments and publisher.
     * @throws IllegalStateException    if started twice.
     * @throws IllegalArgumentException if the reactor is not a Loom {@link FiberScheduler}.
     */
    @Override
    public void start(final SourceContext context)
    {
        if (feed != null)
        {
            throw new IllegalStateException("session " + name + " was already started");
        }
        if (!(context.reactor() instanceof FiberScheduler scheduler))
        {
            throw new IllegalArgumentException("a FeedSession runs on a Loom FiberScheduler, not on " + context.reactor());
        }
        reactor = scheduler;
        instruments = context.instruments();
        feed = protocol.newFeed(instruments, context.publisher(), feedResyncs);
        state = SessionState.CONNECTING;
        reactor.spawn(protocol.venueId() + "-ws", new FeedConnection(this, reactor));
        if (protocol.resyncMethod() == ResyncMethod.REST_SNAPSHOT)
        {
            reactor.spawn(protocol.venueId() + "-rest", new SnapshotFetcher(this, reactor));
        }
    }

    /**
     * Queues the pipeline's request; the connection fiber hands it to the feed between messages.
     * Never blocks; allocates nothing.
     *
     * @param instrumentId the instrument to resync.
     */
    @Override
    public void onResyncRequested(final int instrumentId)
    {
        if (instrumentId >= 0)
        {
            pipelineResyncs.add(instrumentId);
        }
    }

    /** @return the session's counters, readable from any thread. */
    public SessionCounters counters()
    {
        return counters;
    }

    /** @return where the connection is, from any thread. */
    public SessionState state()
    {
        return state;
    }

    /** @return the feed, once started (its counters are readable from any thread). */
    public VenueFeed feed()
    {
        return feed;
    }

    /** @return the venue. */
    public VenueProtocol protocol()
    {
        return protocol;
    }

    FeedSessionConfig config()
    {
        return config;
    }

    void state(final SessionState next)
    {
        state = next;
    }

    Instrument instrument(final int instrumentId)
    {
        return instruments.byId(instrumentId);
    }

    InstrumentQueue pipelineResyncs()
    {
        return pipelineResyncs;
    }

    /** Resyncs the feed asked for and the session has not served yet. */
    InstrumentQueue resyncsToServe()
    {
        return resyncsToServe;
    }

    FiberBaton snapshotWanted()
    {
        return snapshotWanted;
    }

    ArrayDeque<FetchedSnapshot> snapshots()
    {
        return snapshots;
    }

    /** @return true while the snapshot fiber fetches (the connection fiber then gives the reactor more turns). */
    boolean snapshotInFlight()
    {
        return snapshotInFlight;
    }

    void snapshotInFlight(final boolean inFlight)
    {
        snapshotInFlight = inFlight;
    }

    /** @return the number of the current connection (each connect adds one). */
    int connection()
    {
        return connection;
    }

    /** A new connection is up: earlier requests and snapshots are moot (the feed asks again). */
    void onNewConnection()
    {
        connection++;
        pipelineResyncs.clear();
        resyncsToServe.clear();
        snapshots.clear();
    }

    /** The feed's resync requests: queued for the fiber that serves them. Allocates nothing. */
    private final class FeedResyncs implements ResyncRequests
    {
        @Override
        public void requestResync(final int instrumentId)
        {
            counters.increment(SessionCounter.RESYNC_REQUESTS);
            if (instrumentId >= 0 && resyncsToServe.add(instrumentId) && protocol.resyncMethod() == ResyncMethod.REST_SNAPSHOT)
            {
                snapshotWanted.post();
            }
        }
    }
}
