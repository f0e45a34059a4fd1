package io.loom.runtime.journal;

import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.capture.CaptureRecordKind;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The journal tap: records in order through the journal thread, typed and counted refusals, no allocation per append. */
class JournalWriterTest
{
    private static final CaptureHeader HEADER = CaptureHeader.of("binance-spot", "JournalWriterTest", "a note");
    private static final int BINANCE = JournalVenues.code("binance-spot");
    private static final int KRAKEN = JournalVenues.code("kraken-v1");

    @TempDir
    Path directory;

    @Test
    void shouldJournalEveryKindInOrderAndReadItBack() throws Exception
    {
        final Path journal = directory.resolve("j");
        final List<JournalException> failures = new ArrayList<>();
        try (JournalWriter writer = JournalWriter.start(context(journal, failures::add)))
        {
            assertTrue(writer.append(10, 0, BINANCE, CaptureRecordKind.CONNECT, "wss://stream.binance.com:9443/ws"));
            assertTrue(writer.append(11, 0, BINANCE, CaptureRecordKind.SEND, "{\"method\":\"SUBSCRIBE\"}"));
            final UnsafeBuffer frame = buffer("xx{\"e\":\"depthUpdate\"}yy");
            assertTrue(writer.append(12, 0, BINANCE, CaptureRecordKind.WS, frame, 2, frame.capacity() - 4));
            final UnsafeBuffer url = buffer("https://api.binance.com/api/v3/depth?symbol=ETHUSDT");
            final UnsafeBuffer body = buffer("{\"lastUpdateId\":1}");
            assertTrue(writer.appendRest(13, 0, BINANCE, url, 0, url.capacity(), body, 0, body.capacity()));
            assertTrue(writer.append(14, 1, KRAKEN, CaptureRecordKind.WS, buffer("[1,{}]"), 0, 6));
            assertTrue(writer.append(15, 0, BINANCE, CaptureRecordKind.DISCONNECT, "closed by peer"));
            assertTrue(writer.awaitDrained(TimeUnit.SECONDS.toNanos(30)));
            assertEquals(7, writer.appended(), "six records and the header");
        }

        try (JournalReader reader = JournalReader.open(journal))
        {
            assertEquals(HEADER, reader.header());
            assertRecord(reader, 10, 0, "binance-spot", CaptureRecordKind.CONNECT, "wss://stream.binance.com:9443/ws");
            assertRecord(reader, 11, 0, "binance-spot", CaptureRecordKind.SEND, "{\"method\":\"SUBSCRIBE\"}");
            assertRecord(reader, 12, 0, "binance-spot", CaptureRecordKind.WS, "{\"e\":\"depthUpdate\"}");
            assertRecord(reader, 13, 0, "binance-spot", CaptureRecordKind.REST, "https://api.binance.com/api/v3/depth?symbol=ETHUSDT {\"lastUpdateId\":1}");
            assertRecord(reader, 14, 1, "kraken-v1", CaptureRecordKind.WS, "[1,{}]");
            assertRecord(reader, 15, 0, "binance-spot", CaptureRecordKind.DISCONNECT, "closed by peer");
            assertFalse(reader.next());
        }
        assertTrue(failures.isEmpty(), failures.toString());
    }

    @Test
    void shouldContinueAnExistingJournalAsANewSession() throws Exception
    {
        final Path journal = directory.resolve("j");
        for (int session = 0; session < 2; session++)
        {
            try (JournalWriter writer = JournalWriter.start(context(journal, ex -> { })))
            {
                assertTrue(writer.append(100 + session, session, BINANCE, CaptureRecordKind.WS, "frame " + session));
            }
        }

        try (JournalReader reader = JournalReader.open(journal))
        {
            assertRecord(reader, 100, 0, "binance-spot", CaptureRecordKind.WS, "frame 0");
            assertRecord(reader, 101, 1, "binance-spot", CaptureRecordKind.WS, "frame 1");
            assertFalse(reader.next());
            assertEquals(2, reader.sessions());
        }
    }

    @Test
    void shouldRefuseARecordLargerThanTheBufferTypedCountedAndTellTheListenerOnce() throws Exception
    {
        final Path journal = directory.resolve("j");
        final List<JournalException> failures = new ArrayList<>();
        try (JournalWriter writer = JournalWriter.start(context(journal, failures::add).bufferBytes(64 << 10)))
        {
            assertTrue(writer.append(1, 0, BINANCE, CaptureRecordKind.WS, "before"));
            final UnsafeBuffer huge = new UnsafeBuffer(new byte[16 << 10]);

            assertFalse(writer.append(2, 0, BINANCE, CaptureRecordKind.WS, huge, 0, huge.capacity()));
            assertFalse(writer.append(3, 0, BINANCE, CaptureRecordKind.WS, "after"), "nothing is journaled after a failure");

            assertEquals(JournalException.Reason.RECORD_TOO_LARGE, writer.failure().reason());
            assertEquals(2, writer.refused());
            assertFalse(writer.isJournaling());
            assertTrue(writer.awaitDrained(TimeUnit.SECONDS.toNanos(30)));
            assertEquals(1, failures.size());
            assertSame(writer.failure(), failures.get(0));
        }
        try (JournalReader reader = JournalReader.open(journal))
        {
            assertRecord(reader, 1, 0, "binance-spot", CaptureRecordKind.WS, "before");
            assertFalse(reader.next(), "the journal is the prefix before the failure");
        }
    }

    @Test
    void shouldFailWithCannotKeepUpWhenTheBufferIsFullAndStillJournalEveryAcceptedRecord() throws Exception
    {
        final Path journal = directory.resolve("j");
        final List<JournalException> failures = new ArrayList<>();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[6000]);
        int accepted = 0;
        int attempts = 0;
        try (JournalWriter writer = JournalWriter.start(
            context(journal, failures::add).failurePolicy(JournalFailurePolicy.CONTINUE_WITHOUT_JOURNAL).bufferBytes(64 << 10)))
        {
            while (writer.failure() == null && attempts < 1_000_000)
            {
                frame.putInt(0, attempts);
                attempts++;
                accepted += writer.append(attempts, 0, BINANCE, CaptureRecordKind.WS, frame, 0, frame.capacity()) ? 1 : 0;
            }
            assertEquals(JournalException.Reason.CANNOT_KEEP_UP, writer.failure().reason(), "64 KiB cannot absorb 6 KB records in a tight loop");
            assertEquals(attempts - accepted, writer.refused());
            assertTrue(writer.awaitDrained(TimeUnit.SECONDS.toNanos(30)));
            assertEquals(accepted + 1, writer.appended(), "every accepted record is journaled, plus the header");
        }
        assertEquals(1, failures.size());
        try (JournalReader reader = JournalReader.open(journal))
        {
            for (int i = 0; i < accepted; i++)
            {
                assertTrue(reader.next());
                assertEquals(i, reader.payload().getInt(0), "in order, no hole");
            }
            assertFalse(reader.next());
        }
    }

    @Test
    void shouldAppendWithoutAllocating() throws Exception
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final UnsafeBuffer frame = buffer("{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"ETHUSDT\",\"U\":1,\"u\":2,\"b\":[[\"1.0\",\"2.0\"]],\"a\":[]}");
        final UnsafeBuffer url = buffer("https://api.binance.com/api/v3/depth?symbol=ETHUSDT");
        final int records = 20_000;
        try (JournalWriter writer = JournalWriter.start(context(directory.resolve("j"), ex -> { })))
        {
            appendBatch(writer, frame, url, 1_000);
            assertTrue(writer.awaitDrained(TimeUnit.SECONDS.toNanos(30)));

            long allocated = 0;
            for (int batch = 0; batch < records / 1_000; batch++)
            {
                final long before = threads.getCurrentThreadAllocatedBytes();
                appendBatch(writer, frame, url, 1_000);
                allocated += threads.getCurrentThreadAllocatedBytes() - before;
                assertTrue(writer.awaitDrained(TimeUnit.SECONDS.toNanos(30)));
            }

            assertNull(writer.failure());
            assertTrue(allocated < records, allocated + " bytes allocated over " + records + " appends");
            assertEquals(1 + 1_000 + records, writer.appended());
        }
    }

    private static void appendBatch(final JournalWriter writer, final UnsafeBuffer frame, final UnsafeBuffer url, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            if ((i & 63) == 0)
            {
                writer.appendRest(i, 0, BINANCE, url, 0, url.capacity(), frame, 0, frame.capacity());
            }
            else
            {
                writer.append(i, 0, BINANCE, CaptureRecordKind.WS, frame, 0, frame.capacity());
            }
        }
    }

    private static JournalContext context(final Path journal, final JournalFailureListener listener)
    {
        return new JournalContext().directory(journal).header(HEADER).failureListener(listener);
    }

    private static UnsafeBuffer buffer(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRecord(
        final JournalReader reader, final long recvNs, final int conn, final String venue, final CaptureRecordKind kind, final String payload)
        throws JournalException
    {
        assertTrue(reader.next(), "expected a record at " + recvNs);
        assertEquals(recvNs, reader.recvNs());
        assertEquals(conn, reader.conn());
        assertEquals(venue, reader.venue());
        assertEquals(kind, reader.kind());
        assertEquals(payload, reader.payload().getStringWithoutLengthUtf8(0, reader.payload().capacity()));
    }
}
