package io.loom.runtime.journal;

import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.capture.CaptureRecordKind;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Large records (a Kraken book-1000 snapshot is ~100 KB) on a queue with a small block: those up to
 * a quarter of the block are journaled whole, across the queue's mapped chunks, and read back as
 * offered; a longer one is refused as a typed RECORD_TOO_LARGE and counted. Before, the journal
 * thread copied a 100 KB record out of the off-heap ring into a queue of 256 KiB blocks past the end
 * of the mapping, and the JVM died of SIGSEGV.
 */
class JournalLargeRecordTest
{
    private static final CaptureHeader HEADER = CaptureHeader.of("kraken-v1", "JournalLargeRecordTest");
    private static final int KRAKEN = JournalVenues.code("kraken-v1");
    private static final int[] SIZES = {60_000, 40_000, 1_500, 65_000, 4_097, 300, 20_000};

    @TempDir
    Path directory;

    @Test
    void shouldJournalRecordsUpToAQuarterOfTheBlockWholeAcrossMappedChunks() throws Exception
    {
        final Path journal = directory.resolve("j");
        final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(150_000));
        final int records = 60;
        final JournalWriter writer = JournalWriter.start(new JournalContext().directory(journal).header(HEADER)
            .failurePolicy(JournalFailurePolicy.CONTINUE_WITHOUT_JOURNAL).blockSizeBytes(256 << 10).bufferBytes(8 << 20));
        try
        {
            for (int i = 0; i < records; i++)
            {
                final int length = SIZES[i % SIZES.length];
                fill(payload, i, length);
                assertTrue(writer.append(i + 1, 0, KRAKEN, CaptureRecordKind.WS, payload, 0, length), "record " + i);
                if (i % 8 == 7)
                {
                    assertTrue(writer.awaitDrained(TimeUnit.SECONDS.toNanos(30)), "drained");
                }
            }
            assertTrue(writer.awaitDrained(TimeUnit.SECONDS.toNanos(30)), "drained");
        }
        finally
        {
            writer.close();
        }
        assertNull(writer.failure());
        assertEquals(0, writer.refused());

        try (JournalReader reader = JournalReader.open(journal))
        {
            for (int i = 0; i < records; i++)
            {
                assertTrue(reader.next(), "record " + i);
                assertEquals(i + 1, reader.recvNs());
                assertEquals(SIZES[i % SIZES.length], reader.payload().capacity(), "record " + i);
                assertFilled(reader.payload(), i);
            }
            assertFalse(reader.next());
        }
    }

    @Test
    void shouldRefuseARecordOverAQuarterOfTheBlockAsTooLargeAndCountIt() throws Exception
    {
        final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(100_000));
        final JournalWriter writer = JournalWriter.start(new JournalContext().directory(directory.resolve("w")).header(HEADER)
            .failurePolicy(JournalFailurePolicy.CONTINUE_WITHOUT_JOURNAL).blockSizeBytes(64 << 10).bufferBytes(8 << 20));
        try
        {
            assertTrue(writer.append(1, 0, KRAKEN, CaptureRecordKind.WS, payload, 0, 10_000), "under a quarter of 64 KiB");
            assertFalse(writer.append(2, 0, KRAKEN, CaptureRecordKind.WS, payload, 0, 100_000), "a Kraken snapshot's size");
            assertTrue(writer.awaitDrained(TimeUnit.SECONDS.toNanos(30)), "drained");
        }
        finally
        {
            writer.close();
        }
        assertEquals(JournalException.Reason.RECORD_TOO_LARGE, writer.failure().reason());
        assertEquals(1, writer.refused());

        try (JournalAppender appender = JournalAppender.open(directory.resolve("a"), RollCycles.FAST_HOURLY, 64 << 10, HEADER))
        {
            assertTrue(appender.maxRecordBytes() > 10_000 && appender.maxRecordBytes() < 100_000, "a quarter of the block Chronicle chose: " +
                appender.maxRecordBytes());
            final JournalException tooLarge = assertThrows(JournalException.class, () -> appender.appendToBatch(payload, 0, 100_000));
            assertEquals(JournalException.Reason.RECORD_TOO_LARGE, tooLarge.reason());
            assertEquals(JournalException.Reason.RECORD_TOO_LARGE,
                assertThrows(JournalException.class, () -> appender.append(1, 0, KRAKEN, CaptureRecordKind.WS, payload, 0, 100_000)).reason());
            assertEquals(1, appender.appended(), "the header only");
        }
    }

    private static void fill(final UnsafeBuffer buffer, final int record, final int length)
    {
        for (int at = 0; at < length; at++)
        {
            buffer.putByte(at, (byte)(record * 31 + at));
        }
    }

    private static void assertFilled(final DirectBuffer buffer, final int record)
    {
        for (int at = 0; at < buffer.capacity(); at++)
        {
            if (buffer.getByte(at) != (byte)(record * 31 + at))
            {
                assertEquals((byte)(record * 31 + at), buffer.getByte(at), "record " + record + " byte " + at);
            }
        }
    }
}
