package io.loom.connectors.session;

import io.loom.api.fiber.FiberBody;
import io.loom.api.fiber.NanoClock;
import io.loom.api.instrument.Instrument;
import io.loom.runtime.fiber.FiberBaton;
import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.net.FiberTransport;
import io.loom.runtime.net.TransportConnector;
import io.loom.runtime.net.http.FiberHttpClient;
import io.loom.runtime.net.http.HttpClientContext;
import io.loom.runtime.net.http.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The snapshot fiber of a {@link FeedSession} whose venue resyncs from REST snapshots: woken by a
 * baton when the feed asks, it fetches one instrument's snapshot at a time and leaves it for the
 * connection fiber (which hands it to the feed).
 *
 * <pre>
 *   await baton ─▶ next instrument ─▶ wait: Retry-After, error back-off, budget ─▶ GET (keep-alive)
 *        ▲                                                                         │
 *        └──── 2xx: mailbox · 429/418: hold every request for Retry-After · other: back-off, ask again
 * </pre>
 *
 * <p>A 429 or 418 answer holds back every further request for at least its {@code Retry-After}
 * (418 means the venue has banned the address for ignoring a 429); other failures double the delay
 * up to the configured maximum. Requests stay within the budget of {@link SnapshotPolicy}.
 *
 * <p>Thread-safety: the body of one fiber of the session's reactor. Each request allocates (REST
 * snapshots are not the hot path: they happen at connect and after a gap).
 */
final class SnapshotFetcher implements FiberBody
{
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotFetcher.class);

    private final FeedSession session;
    private final FiberScheduler reactor;
    private final NanoClock clock;
    private final SnapshotPolicy policy;
    private final FiberHttpClient http;
    private final FiberBaton wanted;
    private final SessionCounters counters;
    private TokenBucket budget;
    private long notBeforeNs;
    private long errorDelayNs;
    private FiberTransport transport;
    private String transportAuthority;
    private boolean failing;

    SnapshotFetcher(final FeedSession session, final FiberScheduler reactor)
    {
        this.session = session;
        this.reactor = reactor;
        this.clock = reactor.clock();
        this.policy = session.config().snapshots();
        this.http = new FiberHttpClient(new HttpClientContext(), clock);
        this.wanted = session.snapshotWanted();
        this.counters = session.counters();
        this.errorDelayNs = policy.errorDelayNs();
    }

    @Override
    public void run() throws InterruptedException
    {
        budget = new TokenBucket(policy.maxRequests(), policy.windowNs(), clock.nanoTime());
        notBeforeNs = clock.nanoTime();
        try
        {
            while (true)
            {
                wanted.reset();
                if (session.resyncsToServe().isEmpty())
                {
                    wanted.await();
                    continue;
                }
                waitUntilAllowed();
                final int instrumentId = session.resyncsToServe().poll();
                final Instrument instrument = instrumentId < 0 ? null : session.instrument(instrumentId);
                if (instrument != null)
                {
                    session.snapshotInFlight(true);
                    try
                    {
                        fetch(instrument, session.connection());
                    }
                    finally
                    {
                        session.snapshotInFlight(false);
                    }
                }
            }
        }
        finally
        {
            closeTransport();
        }
    }

    /** Parks until the Retry-After or error back-off has passed and the budget has a request left. */
    private void waitUntilAllowed() throws InterruptedException
    {
        while (true)
        {
            final long nowNs = clock.nanoTime();
            final long holdNs = notBeforeNs - nowNs;
            if (holdNs > 0)
            {
                reactor.sleepNs(holdNs);
                continue;
            }
            if (budget.tryAcquire(nowNs))
            {
                return;
            }
            reactor.sleepNs(budget.waitNs(nowNs));
        }
    }

    private void fetch(final Instrument instrument, final int connection) throws InterruptedException
    {
        final URI uri = session.protocol().snapshotUri(instrument);
        counters.increment(SessionCounter.SNAPSHOT_REQUESTS);
        try
        {
            final HttpResponse response = http.get(transportFor(uri), uri, Map.of(), policy.timeoutNs());
            if (!response.keepAlive())
            {
                transport = null;
            }
            if (response.isSuccess())
            {
                errorDelayNs = policy.errorDelayNs();
                failing = false;
                session.snapshots().add(new FetchedSnapshot(connection, instrument.id(), uri.toString().getBytes(StandardCharsets.US_ASCII), response));
                return;
            }
            final long retryAfterS = response.retryAfterSeconds();
            if (response.status() == 429 || response.status() == 418)
            {
                counters.increment(SessionCounter.SNAPSHOTS_RATE_LIMITED);
                final long holdNs = Math.max(TimeUnit.SECONDS.toNanos(Math.max(0, retryAfterS)), nextErrorDelayNs());
                notBeforeNs = clock.nanoTime() + holdNs;
                failed(instrument, "GET " + uri + " answered " + response.status() + " with Retry-After " + retryAfterS +
                    " s: no request for " + TimeUnit.NANOSECONDS.toMillis(holdNs) + " ms");
                return;
            }
            counters.increment(SessionCounter.SNAPSHOT_FAILURES);
            notBeforeNs = clock.nanoTime() + nextErrorDelayNs();
            failed(instrument, "GET " + uri + " answered " + response.status() + ": " + preview(response));
        }
        catch (final IOException ex)
        {
            closeTransport();
            counters.increment(SessionCounter.SNAPSHOT_FAILURES);
            notBeforeNs = clock.nanoTime() + nextErrorDelayNs();
            failed(instrument, ex.getMessage());
        }
    }

    /** The instrument stays wanted: it is asked for again after the hold. */
    private void failed(final Instrument instrument, final String description)
    {
        counters.failure("snapshot of " + instrument.symbol() + ": " + description);
        if (!failing)
        {
            failing = true;
            LOG.warn("{}: snapshot of {} failed: {} (further failures are counted, not logged, until one succeeds)",
                session.protocol().venueId(), instrument.symbol(), description);
        }
        session.resyncsToServe().add(instrument.id());
    }

    private long nextErrorDelayNs()
    {
        final long delayNs = errorDelayNs;
        errorDelayNs = Math.min(policy.maxErrorDelayNs(), errorDelayNs * 2);
        return delayNs;
    }

    private FiberTransport transportFor(final URI uri) throws IOException, InterruptedException
    {
        final String authority = uri.getScheme() + "://" + uri.getRawAuthority();
        if (transport != null && (!transport.isOpen() || !Objects.equals(authority, transportAuthority)))
        {
            closeTransport();
        }
        if (transport == null)
        {
            transport = TransportConnector.open(reactor, uri, session.config().tls(), session.config().connectTimeoutNs());
            transportAuthority = authority;
        }
        return transport;
    }

    private void closeTransport()
    {
        if (transport != null)
        {
            transport.close();
            transport = null;
        }
    }

    private static String preview(final HttpResponse response)
    {
        final String body = response.bodyAsString();
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }
}
