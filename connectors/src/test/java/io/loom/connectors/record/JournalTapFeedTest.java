package io.loom.connectors.record;

import io.loom.connectors.feed.FeedCounters;
import io.loom.connectors.feed.VenueFeed;
import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.capture.CaptureRecordKind;
import io.loom.runtime.journal.JournalContext;
import io.loom.runtime.journal.JournalReader;
import io.loom.runtime.journal.JournalVenues;
import io.loom.runtime.journal.JournalWriter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JournalTapFeed} hands a frame or REST body to the real feed first and journals it when the
 * feed returns, so the copy into the journal is off the way to the books; and it journals it even
 * when the feed throws. The real feed here journals a marker of its own while it holds the frame:
 * the marker coming first in the journal is what shows the order.
 */
class JournalTapFeedTest
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final int VENUE = JournalVenues.code("kraken-v1");
    private static final String FRAME = "[42,{\"a\":[[\"1.0\",\"2.0\",\"1618617600.000000\"]]},\"book-10\",\"XBT/USD\"]";

    @TempDir
    Path directory;

    @Test
    void shouldJournalAFrameAndARestBodyAfterTheFeedHasSeenThem() throws Exception
    {
        try (JournalWriter writer = writer())
        {
            final JournalTapFeed tap = new JournalTapFeed(writer, 3, VENUE, "wss://example/ws", List.of(), new MarkingFeed(writer, false));
            final UnsafeBuffer frame = ascii(FRAME);
            tap.onFrame(frame, 0, frame.capacity(), 1_000L);
            final UnsafeBuffer rest = ascii("https://example/depthBODY");
            tap.onRestResponse(rest, 0, 21, 21, 4, 2_000L);
            assertTrue(writer.awaitDrained(TIMEOUT_NS));
        }
        assertEquals(List.of("SEND seen-frame", "WS " + FRAME, "SEND seen-rest", "REST https://example/depth BODY"), journaled());
    }

    @Test
    void shouldJournalAFrameTheFeedThrewOn() throws Exception
    {
        try (JournalWriter writer = writer())
        {
            final JournalTapFeed tap = new JournalTapFeed(writer, 3, VENUE, "wss://example/ws", List.of(), new MarkingFeed(writer, true));
            final UnsafeBuffer frame = ascii(FRAME);
            assertThrows(IllegalStateException.class, () -> tap.onFrame(frame, 0, frame.capacity(), 1_000L));
            assertTrue(writer.awaitDrained(TIMEOUT_NS));
        }
        assertEquals(List.of("SEND seen-frame", "WS " + FRAME), journaled());
    }

    private JournalWriter writer() throws Exception
    {
        return JournalWriter.start(new JournalContext().directory(directory).header(CaptureHeader.of("kraken-v1", "JournalTapFeedTest"))
            .failureListener(failure -> { }));
    }

    private List<String> journaled() throws Exception
    {
        final List<String> records = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(directory))
        {
            while (reader.next())
            {
                final DirectBuffer payload = reader.payload();
                final String text = payload.getStringWithoutLengthAscii(0, payload.capacity());
                records.add(reader.kind() + " " + (reader.kind() == CaptureRecordKind.REST ? text.replace('\t', ' ').replace('\n', ' ') : text));
            }
        }
        return records;
    }

    private static UnsafeBuffer ascii(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Journals "seen-frame" / "seen-rest" while it holds a frame or body, then throws if asked to. */
    private static final class MarkingFeed implements VenueFeed
    {
        private final JournalWriter writer;
        private final boolean fail;
        private final FeedCounters counters = new FeedCounters();

        private MarkingFeed(final JournalWriter writer, final boolean fail)
        {
            this.writer = writer;
            this.fail = fail;
        }

        @Override
        public void onConnected(final long receiveTimeNs)
        {
        }

        @Override
        public void onFrame(final DirectBuffer buffer, final int offset, final int length, final long receiveTimeNs)
        {
            writer.append(receiveTimeNs, 3, VENUE, CaptureRecordKind.SEND, "seen-frame");
            if (fail)
            {
                throw new IllegalStateException("a feed that fails on this frame");
            }
        }

        @Override
        public void onRestResponse(
            final DirectBuffer buffer, final int urlOffset, final int urlLength, final int bodyOffset, final int bodyLength, final long receiveTimeNs)
        {
            writer.append(receiveTimeNs, 3, VENUE, CaptureRecordKind.SEND, "seen-rest");
        }

        @Override
        public void onDisconnected(final long receiveTimeNs)
        {
        }

        @Override
        public void resync(final int instrumentId, final long receiveTimeNs)
        {
        }

        @Override
        public FeedCounters counters()
        {
            return counters;
        }
    }
}
