package io.loom.runtime.journal;

import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.capture.CaptureRecordKind;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batch excerpts: what the writer and import produce, read back in order, mixed with single-record excerpts of older journals; bad batches are typed errors. */
class JournalBatchTest
{
    private static final CaptureHeader HEADER = CaptureHeader.of("binance-spot", "JournalBatchTest");
    private static final int BINANCE = JournalVenues.code("binance-spot");

    @TempDir
    Path directory;

    @Test
    void shouldReadSingleRecordExcerptsOfAnOlderJournalAndBatchesInOneJournalInOrder() throws Exception
    {
        final Path journal = directory.resolve("j");
        final ExpandableArrayBuffer record = new ExpandableArrayBuffer(256);
        try (JournalAppender appender = JournalAppender.open(journal, RollCycles.FAST_HOURLY, 0, HEADER))
        {
            appender.append(1, 0, BINANCE, CaptureRecordKind.CONNECT, text("wss://a"), 0, 7); // one record per excerpt: the older layout
            appender.append(2, 0, BINANCE, CaptureRecordKind.WS, text("frame 2"), 0, 7);
            for (int i = 3; i <= 5; i++)
            {
                appender.appendToBatch(record, 0, record(record, i, "frame " + i));
            }
            assertEquals(3, appender.batchedRecords());
            assertEquals(3, appender.appended(), "a batch is not counted before it is committed");
            appender.append(6, 0, BINANCE, CaptureRecordKind.WS, text("frame 6"), 0, 7); // commits the open batch first
            assertEquals(0, appender.batchedRecords());
            appender.appendToBatch(record, 0, record(record, 7, "frame 7"));
            assertEquals(1, appender.commitBatch());
            assertEquals(0, appender.commitBatch(), "no batch open");
            assertEquals(8, appender.appended(), "seven records and the header");
        }

        assertEquals(6, excerpts(journal), "header, 2 single records, a batch of 3, 1 single record, a batch of 1");
        try (JournalReader reader = JournalReader.open(journal))
        {
            assertTrue(reader.next());
            assertEquals(CaptureRecordKind.CONNECT, reader.kind());
            assertEquals("wss://a", string(reader));
            for (int i = 2; i <= 7; i++)
            {
                assertTrue(reader.next(), "record " + i);
                assertEquals(i, reader.recvNs());
                assertEquals(0, reader.conn());
                assertEquals(CaptureRecordKind.WS, reader.kind());
                assertEquals("binance-spot", reader.venue());
                assertEquals("frame " + i, string(reader));
            }
            assertFalse(reader.next());
            assertEquals(1, reader.sessions());
        }
    }

    @Test
    void shouldJournalAStreamOfRecordsInFarFewerExcerptsThanRecords() throws Exception
    {
        final Path journal = directory.resolve("j");
        final int records = 5_000;
        try (JournalWriter writer = JournalWriter.start(new JournalContext().directory(journal).header(HEADER).failureListener(ex -> { })))
        {
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[200]);
            for (int i = 0; i < records; i++)
            {
                frame.putInt(0, i);
                assertTrue(writer.append(i, 3, BINANCE, CaptureRecordKind.WS, frame, 0, frame.capacity()));
            }
            assertTrue(writer.awaitDrained(TimeUnit.SECONDS.toNanos(30)));
            assertEquals(records + 1, writer.appended());
            assertNull(writer.failure());
        }

        final long excerpts = excerpts(journal);
        assertTrue(excerpts <= 1 + records / 10, excerpts + " excerpts for " + records + " records offered back to back");
        try (JournalReader reader = JournalReader.open(journal))
        {
            for (int i = 0; i < records; i++)
            {
                assertTrue(reader.next(), "record " + i);
                assertEquals(i, reader.recvNs());
                assertEquals(3, reader.conn());
                assertEquals(i, reader.payload().getInt(0));
                assertEquals(200, reader.payload().capacity());
            }
            assertFalse(reader.next());
        }
    }

    @Test
    void shouldStartANewBatchBeforeTheLimitAndKeepALargerRecordAlone() throws Exception
    {
        final Path journal = directory.resolve("j");
        final int small = 1_000;
        final int large = JournalAppender.MAX_BATCH_BYTES + 1;
        final ExpandableArrayBuffer record = new ExpandableArrayBuffer(large + 64);
        long limit;
        try (JournalAppender appender = JournalAppender.open(journal, RollCycles.FAST_HOURLY, 0, HEADER))
        {
            limit = appender.batchLimitBytes();
            int recvNs = 0;
            for (int i = 0; i < 200; i++)
            {
                appender.appendToBatch(record, 0, record(record, ++recvNs, "x".repeat(small)));
            }
            appender.appendToBatch(record, 0, record(record, ++recvNs, "y".repeat(large)));
            appender.appendToBatch(record, 0, record(record, ++recvNs, "z"));
            appender.commitBatch();
        }

        final long perBatch = limit / (small + JournalRecordDescriptor.PAYLOAD_OFFSET + JournalRecordDescriptor.BATCHED_LENGTH_BYTES);
        final long smallBatches = (200 + perBatch - 1) / perBatch;
        assertEquals(1 + smallBatches + 2, excerpts(journal), "the header, full batches of small records, the large record alone, then the last");
        try (JournalReader reader = JournalReader.open(journal))
        {
            for (int i = 1; i <= 202; i++)
            {
                assertTrue(reader.next());
                assertEquals(i, reader.recvNs());
                assertEquals(i <= 200 ? small : i == 201 ? large : 1, reader.payload().capacity());
            }
            assertFalse(reader.next());
        }
    }

    @Test
    void shouldRefuseABatchWhoseCountDisagreesWithItsRecordsAsCorrupt() throws Exception
    {
        final Path journal = directory.resolve("j");
        JournalAppender.open(journal, RollCycles.FAST_HOURLY, 0, HEADER).close();
        final ExpandableArrayBuffer record = new ExpandableArrayBuffer(64);
        final int length = record(record, 1, "only one");
        try (SingleChronicleQueue queue = JournalQueues.openForWriting(journal, RollCycles.FAST_HOURLY, 0);
             ExcerptAppender appender = queue.createAppender();
             DocumentContext document = appender.writingDocument())
        {
            final Bytes<?> bytes = document.wire().bytes();
            bytes.writeLong(1);
            bytes.writeInt(2); // says two records, holds one
            bytes.writeByte(JournalRecordDescriptor.BATCH_KIND);
            bytes.writeByte((byte)0);
            bytes.writeInt(length);
            bytes.write(record.byteArray(), 0, length);
        }

        try (JournalReader reader = JournalReader.open(journal))
        {
            assertTrue(reader.next(), "the first record is whole");
            assertEquals("only one", string(reader));
            final JournalException ex = assertThrows(JournalException.class, reader::next);
            assertEquals(JournalException.Reason.CORRUPT_RECORD, ex.reason());
            assertTrue(ex.getMessage().contains("1 records short"), ex.getMessage());
        }
    }

    @Test
    void shouldRollBackAnUncommittedBatchOnClose() throws Exception
    {
        final Path journal = directory.resolve("j");
        final ExpandableArrayBuffer record = new ExpandableArrayBuffer(64);
        try (JournalAppender appender = JournalAppender.open(journal, RollCycles.FAST_HOURLY, 0, HEADER))
        {
            appender.appendToBatch(record, 0, record(record, 1, "kept"));
            appender.commitBatch();
            appender.appendToBatch(record, 0, record(record, 2, "never committed"));
        }
        try (JournalReader reader = JournalReader.open(journal))
        {
            assertTrue(reader.next());
            assertEquals("kept", string(reader));
            assertFalse(reader.next());
        }
    }

    @Test
    void shouldReadBatchesAndWriteThemOnTheJournalThreadWithoutAllocating() throws Exception
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final Path journal = directory.resolve("j");
        final int records = 40_000;
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[300]);
        long journalThreadAllocated;
        try (JournalWriter writer = JournalWriter.start(new JournalContext().directory(journal).header(HEADER).failureListener(ex -> { })))
        {
            offer(writer, frame, 0, 2_000);
            assertTrue(writer.awaitDrained(TimeUnit.SECONDS.toNanos(30)));
            final long threadId = writer.thread().threadId();
            final long before = threads.getThreadAllocatedBytes(threadId);
            offer(writer, frame, 2_000, records);
            assertTrue(writer.awaitDrained(TimeUnit.SECONDS.toNanos(30)));
            journalThreadAllocated = threads.getThreadAllocatedBytes(threadId) - before;
            assertNull(writer.failure());
        }
        assertTrue(journalThreadAllocated < records - 2_000,
            "the journal thread allocated " + journalThreadAllocated + " bytes for " + (records - 2_000) + " records");

        try (JournalReader reader = JournalReader.open(journal))
        {
            for (int i = 0; i < 2_000; i++)
            {
                assertTrue(reader.next());
            }
            final long before = threads.getCurrentThreadAllocatedBytes();
            long sum = 0;
            for (int i = 2_000; i < records; i++)
            {
                assertTrue(reader.next());
                sum += reader.payload().getInt(0);
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertFalse(reader.next());
            assertEquals((long)(records - 1) * records / 2 - 1_999L * 2_000 / 2, sum, "every payload read back");
            assertTrue(allocated < records - 2_000, allocated + " bytes allocated reading " + (records - 2_000) + " records");
        }
    }

    /** Offers records {@code from .. to - 1}, waiting for the journal thread every 2,000 (a tight loop outruns a sleeping journal thread's 8 MiB). */
    private static void offer(final JournalWriter writer, final UnsafeBuffer frame, final int from, final int to) throws InterruptedException
    {
        for (int i = from; i < to; i++)
        {
            frame.putInt(0, i);
            assertTrue(writer.append(i, 0, BINANCE, CaptureRecordKind.WS, frame, 0, frame.capacity()));
            if (i % 2_000 == 1_999)
            {
                assertTrue(writer.awaitDrained(TimeUnit.SECONDS.toNanos(30)));
            }
        }
    }

    /** Writes a WS record of conn 0 in the one-record layout at 0; returns its length. */
    private static int record(final ExpandableArrayBuffer buffer, final long recvNs, final String payload)
    {
        JournalRecordDescriptor.putFields(buffer, 0, recvNs, 0, CaptureRecordKind.WS, BINANCE);
        final int length = buffer.putStringWithoutLengthUtf8(JournalRecordDescriptor.PAYLOAD_OFFSET, payload);
        return JournalRecordDescriptor.PAYLOAD_OFFSET + length;
    }

    private static long excerpts(final Path journal) throws JournalException
    {
        long count = 0;
        try (SingleChronicleQueue queue = JournalQueues.openForReading(journal);
             ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext document = tailer.readingDocument())
                {
                    if (!document.isPresent())
                    {
                        return count;
                    }
                    count++;
                }
            }
        }
    }

    private static UnsafeBuffer text(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String string(final JournalReader reader)
    {
        return reader.payload().getStringWithoutLengthUtf8(0, reader.payload().capacity());
    }
}
