package io.loom.connectors.session;

import io.loom.api.pipeline.Pipeline;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.loom.connectors.session.SessionTestKit.closeAndAssertNoThreads;
import static io.loom.connectors.session.SessionTestKit.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A venue that refuses connections: typed, counted failures, back-off, a clean stop; the feed never hears of a connection. */
class FeedSessionConnectFailureTest
{
    @Test
    void shouldCountRefusedConnectsBackOffAndStopCleanly() throws Exception
    {
        final int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            closedPort = socket.getLocalPort();
        }
        final FakeProtocol protocol = new FakeProtocol(URI.create("ws://127.0.0.1:" + closedPort + "/"));
        final FeedSession session = new FeedSession(protocol, FeedSessionConfig.forVenue(protocol)
            .withReconnect(new ReconnectPolicy(TimeUnit.MILLISECONDS.toNanos(20), TimeUnit.MILLISECONDS.toNanos(80), TimeUnit.SECONDS.toNanos(1))));
        final Pipeline pipeline = Pipeline.builder("refused").source(session).stage("sink", () -> (event, sequence, endOfBatch) -> { }).build();
        pipeline.start();
        try
        {
            until(() -> session.counters().get(SessionCounter.CONNECT_FAILURES) >= 4, 10_000, session.counters()::toString);
            final SessionState state = session.state();
            assertTrue(state == SessionState.BACKING_OFF || state == SessionState.CONNECTING, "state " + state);
        }
        finally
        {
            closeAndAssertNoThreads(pipeline);
        }
        final SessionCounters counters = session.counters();
        assertEquals(0, counters.get(SessionCounter.CONNECTS));
        assertEquals(0, counters.get(SessionCounter.HANDSHAKE_FAILURES));
        assertTrue(counters.get(SessionCounter.CONNECT_ATTEMPTS) >= counters.get(SessionCounter.CONNECT_FAILURES));
        assertNotNull(counters.lastFailure());
        assertTrue(counters.lastFailure().contains("refused"), counters.lastFailure());
        assertEquals(SessionState.STOPPED, session.state());
        assertEquals(List.of(), protocol.feed.calls, "the feed hears of connections only");
    }
}
