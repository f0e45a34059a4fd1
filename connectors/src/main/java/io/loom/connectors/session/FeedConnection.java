package io.loom.connectors.session;

import io.loom.api.fiber.FiberBody;
import io.loom.api.fiber.NanoClock;
import io.loom.api.instrument.Instrument;
import io.loom.connectors.feed.VenueFeed;
import io.loom.runtime.fiber.EpochOffset;
import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.net.FiberSocketException;
import io.loom.runtime.net.FiberTransport;
import io.loom.runtime.net.TransportConnector;
import io.loom.runtime.net.tls.TlsHandshakeException;
import io.loom.runtime.net.ws.WebSocketCloseCodes;
import io.loom.runtime.net.ws.WebSocketClosedException;
import io.loom.runtime.net.ws.WebSocketConnection;
import io.loom.runtime.net.ws.WebSocketContext;
import io.loom.runtime.net.ws.WebSocketHandshakeException;
import io.loom.runtime.net.ws.WebSocketMessage;
import io.loom.runtime.net.ws.WebSocketProtocolException;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The connection fiber of a {@link FeedSession}: connect, subscribe, receive into the feed,
 * and reconnect with back-off, for as long as the reactor runs. The feed's one thread.
 *
 * <pre>
 *   ┌▶ CONNECTING: TCP (+TLS) + WebSocket handshake ── fails ──────────────────────┐
 *   │      │ up: feed.onConnected, subscriptions queued                            │
 *   │  CONNECTED: receive(poll) ─▶ feed.onFrame; between messages: send queued     │
 *   │      │      messages (rate-limited), snapshots ─▶ feed, pipeline resyncs,     │
 *   │      │      resubscribes, pings; silence / maximum age end the connection    │
 *   │      ▼ ends: feed.onDisconnected                                             ▼
 *   └── BACKING_OFF: random delay in [0, cap], cap doubling; none after a planned replacement
 * </pre>
 *
 * <p>Thread-safety: the body of one fiber; shares its session's queues with the snapshot fiber of
 * the same reactor (never running at the same time). Steady-state receiving allocates nothing.
 */
final class FeedConnection implements FiberBody
{
    private static final Logger LOG = LoggerFactory.getLogger(FeedConnection.class);
    /** Yield the reactor after this many messages in a row, so a fast stream does not starve other fibers. */
    private static final int YIELD_EVERY_MESSAGES = 64;
    /**
     * While a snapshot is fetched, park until the reactor's next turn after this many messages in a
     * row: a yield alone lets ready fibers run, but the snapshot fiber's socket becomes ready only
     * when the reactor polls its selector, which a stream that is always readable would put off for
     * a whole run batch. The venue's diffs are buffered meanwhile anyway.
     */
    private static final int TURN_EVERY_MESSAGES_WHILE_FETCHING = 16;
    private static final int PING_BUFFER_BYTES = 128;
    /** A connection being replaced waits this long for the venue's close frame. */
    private static final long CLOSE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1);

    /** How a connection that did not fail ended. */
    private enum End
    {
        SILENCE,
        MAX_AGE
    }

    private final FeedSession session;
    private final FiberScheduler reactor;
    private final NanoClock clock;
    private final VenueProtocol protocol;
    private final FeedSessionConfig config;
    private final SessionCounters counters;
    private final URI uri;
    private final long epochOffsetNs;
    private final ReconnectBackoff backoff;
    private final WebSocketContext webSocket = new WebSocketContext().closeTimeoutNs(CLOSE_TIMEOUT_NS);
    private final ArrayDeque<String> outbox = new ArrayDeque<>();
    private final UnsafeBuffer ping = new UnsafeBuffer(new byte[PING_BUFFER_BYTES]);
    private final ExpandableArrayBuffer restScratch = new ExpandableArrayBuffer(1 << 16);
    private VenueFeed feed;
    private TokenBucket outboundBudget;
    private long pingRequestId;
    private int failuresInARow;

    FeedConnection(final FeedSession session, final FiberScheduler reactor)
    {
        this.session = session;
        this.reactor = reactor;
        this.clock = reactor.clock();
        this.protocol = session.protocol();
        this.config = session.config();
        this.counters = session.counters();
        this.uri = protocol.webSocketUri();
        this.epochOffsetNs = EpochOffset.measure(clock);
        this.backoff = new ReconnectBackoff(config.reconnect().initialDelayNs(), config.reconnect().maxDelayNs(), new SplittableRandom());
    }

    @Override
    public void run() throws InterruptedException
    {
        feed = session.feed();
        try
        {
            while (true)
            {
                final boolean planned = connectAndStream();
                if (!planned)
                {
                    session.state(SessionState.BACKING_OFF);
                    reactor.sleepNs(backoff.nextDelayNs());
                }
            }
        }
        finally
        {
            session.state(SessionState.STOPPED);
        }
    }

    /** @return true if the connection ended as planned (maximum age) and the next may start at once. */
    private boolean connectAndStream() throws InterruptedException
    {
        session.state(SessionState.CONNECTING);
        counters.increment(SessionCounter.CONNECT_ATTEMPTS);
        FiberTransport transport = null;
        WebSocketConnection connection = null;
        long connectedAtNs = 0;
        try
        {
            transport = TransportConnector.open(reactor, uri, config.tls(), config.tcp(), config.connectTimeoutNs());
            connection = WebSocketConnection.open(transport, uri, webSocket, clock);
            connectedAtNs = clock.nanoTime();
            onConnected(connectedAtNs);
            final End end = stream(connection, connectedAtNs);
            if (end == End.MAX_AGE)
            {
                counters.increment(SessionCounter.LIFETIME_RECONNECTS);
                LOG.info("{}: replacing the connection to {} before the venue's lifetime limit", protocol.venueId(), uri);
                connection.close(WebSocketCloseCodes.NORMAL, "");
                onDisconnected("maximum connection age: replaced after " + TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - connectedAtNs) + " ms");
                return true;
            }
            counters.increment(SessionCounter.SILENCE_TIMEOUTS);
            final String silence = "read timeout: nothing received for " + TimeUnit.NANOSECONDS.toMillis(config.readSilenceTimeoutNs()) + " ms";
            fail(silence + " from " + uri);
            onDisconnected(silence);
        }
        catch (final IOException ex)
        {
            final String what = countFailure(ex, connectedAtNs != 0);
            if (connectedAtNs != 0)
            {
                onDisconnected(what + " (" + ex.getClass().getSimpleName() + "): " + ex.getMessage());
            }
        }
        catch (final RuntimeException ex)
        {
            counters.increment(SessionCounter.FEED_FAILURES);
            LOG.error("{}: the feed failed on a message from {}; replacing the connection", protocol.venueId(), uri, ex);
            counters.failure("feed failure: " + ex);
            failuresInARow++;
            if (connectedAtNs != 0)
            {
                onDisconnected("feed failure: " + ex);
            }
        }
        finally
        {
            if (connection != null)
            {
                connection.close(WebSocketCloseCodes.GOING_AWAY, "");
            }
            else if (transport != null)
            {
                transport.close();
            }
        }
        if (connectedAtNs != 0 && clock.nanoTime() - connectedAtNs >= config.reconnect().healthyAfterNs())
        {
            backoff.reset();
        }
        return false;
    }

    private void onConnected(final long nowNs) throws InterruptedException
    {
        counters.increment(SessionCounter.CONNECTS);
        if (failuresInARow > 0)
        {
            LOG.info("{}: connected to {} after {} failed attempt(s)", protocol.venueId(), uri, failuresInARow);
        }
        else
        {
            LOG.info("{}: connected to {}", protocol.venueId(), uri);
        }
        failuresInARow = 0;
        session.state(SessionState.CONNECTED);
        session.onNewConnection();
        outbox.clear();
        outbox.addAll(protocol.subscribeMessages());
        outboundBudget = new TokenBucket(protocol.maxOutboundMessagesPerSecond(), TimeUnit.SECONDS.toNanos(1), nowNs);
        feed.onConnected(epochNs(nowNs));
    }

    /** Tells the feed the connection is gone and why (the journal tap records the reason). */
    private void onDisconnected(final String reason) throws InterruptedException
    {
        try
        {
            feed.onDisconnected(epochNs(clock.nanoTime()), reason);
        }
        catch (final RuntimeException ex)
        {
            counters.increment(SessionCounter.FEED_FAILURES);
            LOG.error("{}: the feed failed on disconnect", protocol.venueId(), ex);
        }
    }

    private End stream(final WebSocketConnection connection, final long connectedAtNs) throws IOException, InterruptedException
    {
        long lastMessageNs = connectedAtNs;
        long nextPingNs = config.applicationPingIntervalNs() == 0 ? Long.MAX_VALUE : connectedAtNs + config.applicationPingIntervalNs();
        int inARow = 0;
        // one clock read per message: the time read after a message arrives (its receive time) is
        // "now" for the requests, the ping and the next receive's deadline too
        long nowNs = clock.nanoTime();
        while (true)
        {
            serveRequests(connection, nowNs);
            if (nextPingNs != Long.MAX_VALUE && nowNs - nextPingNs >= 0 && outboundBudget.tryAcquire(nowNs))
            {
                final int length = protocol.encodePing(ping, ++pingRequestId);
                connection.sendText(ping, 0, length);
                counters.increment(SessionCounter.MESSAGES_SENT);
                nextPingNs = nowNs + config.applicationPingIntervalNs();
            }
            final WebSocketMessage message = connection.receiveBefore(nowNs + receiveTimeoutNs(nowNs));
            nowNs = clock.nanoTime();
            if (message != null)
            {
                lastMessageNs = nowNs;
                counters.increment(SessionCounter.MESSAGES_RECEIVED);
                if (message.isText())
                {
                    feed.onFrame(message.buffer(), message.offset(), message.length(), epochNs(nowNs));
                }
                else
                {
                    counters.increment(SessionCounter.BINARY_MESSAGES_SKIPPED);
                }
                if (++inARow == YIELD_EVERY_MESSAGES)
                {
                    inARow = 0;
                    Thread.yield();
                    nowNs = clock.nanoTime();
                }
                else if (inARow % TURN_EVERY_MESSAGES_WHILE_FETCHING == 0 && session.snapshotInFlight())
                {
                    reactor.sleepNs(1);
                    nowNs = clock.nanoTime();
                }
            }
            else
            {
                inARow = 0;
                if (nowNs - lastMessageNs >= config.readSilenceTimeoutNs())
                {
                    return End.SILENCE;
                }
            }
            if (nowNs - connectedAtNs >= config.maxConnectionAgeNs())
            {
                return End.MAX_AGE;
            }
        }
    }

    /** Waits for the next message no longer than the poll interval, or until an outbound message may go. */
    private long receiveTimeoutNs(final long nowNs)
    {
        if (!outbox.isEmpty())
        {
            return Math.min(config.pollIntervalNs(), Math.max(1, outboundBudget.waitNs(nowNs)));
        }
        return config.pollIntervalNs();
    }

    /** Between messages: snapshots and resyncs into the feed, resubscriptions and queued messages out. */
    private void serveRequests(final WebSocketConnection connection, final long nowNs) throws IOException, InterruptedException
    {
        while (!session.snapshots().isEmpty())
        {
            deliver(session.snapshots().poll());
        }
        final InstrumentQueue pipelineResyncs = session.pipelineResyncs();
        while (!pipelineResyncs.isEmpty())
        {
            counters.increment(SessionCounter.PIPELINE_RESYNCS);
            feed.resync(pipelineResyncs.poll(), epochNs(nowNs));
        }
        if (protocol.resyncMethod() == ResyncMethod.RESUBSCRIBE && outbox.isEmpty())
        {
            final int instrumentId = session.resyncsToServe().poll();
            final Instrument instrument = instrumentId < 0 ? null : session.instrument(instrumentId);
            if (instrument != null)
            {
                counters.increment(SessionCounter.RESUBSCRIBES);
                outbox.addAll(protocol.resubscribeMessages(instrument));
            }
        }
        while (!outbox.isEmpty() && outboundBudget.tryAcquire(nowNs))
        {
            connection.sendText(outbox.poll());
            counters.increment(SessionCounter.MESSAGES_SENT);
        }
    }

    private void deliver(final FetchedSnapshot snapshot) throws InterruptedException
    {
        if (snapshot.connection() != session.connection())
        {
            counters.increment(SessionCounter.SNAPSHOTS_DISCARDED);
            return;
        }
        final byte[] url = snapshot.url();
        final int bodyLength = snapshot.response().bodyLength();
        restScratch.putBytes(0, url);
        restScratch.putBytes(url.length, snapshot.response().body(), 0, bodyLength);
        counters.increment(SessionCounter.SNAPSHOTS_DELIVERED);
        feed.onRestResponse(restScratch, 0, url.length, url.length, bodyLength, epochNs(clock.nanoTime()));
    }

    /** @return what happened, as counted: "connect failed", "closed by the venue with code 1006", … */
    private String countFailure(final IOException ex, final boolean wasConnected)
    {
        final String what;
        if (!wasConnected && ex instanceof FiberSocketException)
        {
            counters.increment(SessionCounter.CONNECT_FAILURES);
            what = "connect failed";
        }
        else if (ex instanceof TlsHandshakeException || ex instanceof WebSocketHandshakeException)
        {
            counters.increment(SessionCounter.HANDSHAKE_FAILURES);
            what = "handshake failed";
        }
        else if (ex instanceof WebSocketClosedException closed && closed.byPeer())
        {
            counters.closedByPeer(closed.code());
            what = "closed by the venue with code " + closed.code();
        }
        else if (ex instanceof WebSocketProtocolException)
        {
            counters.increment(SessionCounter.PROTOCOL_ERRORS);
            what = "protocol error";
        }
        else if (!wasConnected)
        {
            counters.increment(SessionCounter.CONNECT_FAILURES);
            what = "connect failed";
        }
        else
        {
            counters.increment(SessionCounter.CONNECTIONS_LOST);
            what = "connection lost";
        }
        fail(what + ": " + ex.getMessage());
        return what;
    }

    /** Records a failure; logs it when it changes the session's state (the first of a run of failures). */
    private void fail(final String description)
    {
        counters.failure(description);
        if (failuresInARow++ == 0)
        {
            LOG.warn("{}: {}; reconnecting with back-off (further failures are counted, not logged, until connected)",
                protocol.venueId(), description);
        }
    }

    private long epochNs(final long reactorNs)
    {
        return epochOffsetNs + reactorNs;
    }
}
