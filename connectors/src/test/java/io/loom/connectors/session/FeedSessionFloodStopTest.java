package io.loom.connectors.session;

import io.loom.api.pipeline.Pipeline;
import io.loom.connectors.feed.FeedCounter;
import io.loom.runtime.net.LoopbackPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.loom.connectors.session.SessionTestKit.closeAndAssertNoThreads;
import static io.loom.connectors.session.SessionTestKit.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regression (issue 8's end-to-end run hung after a window at 100k msg/s): a venue that floods the
 * connection faster than the session reads never lets the connection fiber wait, and the fiber
 * outlived its pipeline's close ("fibers ignored the interrupt") with the connection open. Closing
 * the pipeline must end the session, close the connection and leave no thread, within the bound.
 */
class FeedSessionFloodStopTest
{
    private static final int FRAME_PAYLOAD_BYTES = 1000;
    private static final long CLOSE_BOUND_MS = 3_000;
    /** About 50 µs of work per frame: the venue stays far ahead of the session. */
    private static final int READS_PER_FRAME = 50;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldStopTheSessionOfAFloodingVenueWhenThePipelineCloses() throws Exception
    {
        final CountDownLatch venueSawClose = new CountDownLatch(1);
        try (LoopbackPeer venue = LoopbackPeer.start("flooding-venue", socket -> flood(socket.getInputStream(), socket.getOutputStream(), venueSawClose)))
        {
            final FakeProtocol protocol = new FakeProtocol(URI.create("ws://127.0.0.1:" + venue.address().getPort() + "/"), RecordingFeed.countingFrames(READS_PER_FRAME));
            final FeedSession session = new FeedSession(protocol, FeedSessionConfig.forVenue(protocol));
            final Pipeline pipeline = Pipeline.builder("flooded").source(session).stage("sink", () -> (event, sequence, endOfBatch) -> { }).build();
            pipeline.start();
            until(() -> protocol.feed.counters().get(FeedCounter.FRAMES) >= 20_000, 30_000, () -> "20,000 frames: " + protocol.feed.counters());

            final long startNs = System.nanoTime();
            closeAndAssertNoThreads(pipeline);
            final long closeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);

            assertTrue(closeMs < CLOSE_BOUND_MS, "the close took " + closeMs + " ms");
            assertEquals(SessionState.STOPPED, session.state());
            assertTrue(venueSawClose.await(10, TimeUnit.SECONDS), "the venue went on writing to an open connection");
            assertTrue(protocol.feed.byteSum() > 0, "the feed read the frames");
        }
    }

    /** Answers the upgrade, then writes text frames until the connection fails. */
    private static void flood(final InputStream in, final OutputStream out, final CountDownLatch sawClose) throws Exception
    {
        final BufferedReader request = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
        String key = null;
        for (String line = request.readLine(); line != null && !line.isEmpty(); line = request.readLine())
        {
            if (line.toLowerCase().startsWith("sec-websocket-key:"))
            {
                key = line.substring(line.indexOf(':') + 1).trim();
            }
        }
        final String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
            .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1)));
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
        final byte[] frame = new byte[4 + FRAME_PAYLOAD_BYTES];
        frame[0] = (byte)0x81;
        frame[1] = 126;
        frame[2] = (byte)(FRAME_PAYLOAD_BYTES >>> 8);
        frame[3] = (byte)FRAME_PAYLOAD_BYTES;
        Arrays.fill(frame, 4, frame.length, (byte)'x');
        final byte[] block = new byte[64 * frame.length];
        for (int i = 0; i < 64; i++)
        {
            System.arraycopy(frame, 0, block, i * frame.length, frame.length);
        }
        try
        {
            while (true)
            {
                out.write(block);
            }
        }
        catch (final IOException ex)
        {
            sawClose.countDown();
        }
    }
}
