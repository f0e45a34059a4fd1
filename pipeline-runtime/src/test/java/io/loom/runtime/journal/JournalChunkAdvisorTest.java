package io.loom.runtime.journal;

import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.capture.CaptureRecordKind;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal's chunks are advised ({@link JournalChunkAdvisor}): stores into new pages fault once per
 * 2 MiB folio, not once per read-around window's worth of small folios; advising allocates nothing; a
 * plain mapping (the control) faults far more often.
 */
class JournalChunkAdvisorTest
{
    private static final CaptureHeader HEADER = CaptureHeader.of("binance-spot", "JournalChunkAdvisorTest");
    private static final int BINANCE = JournalVenues.code("binance-spot");
    private static final int PAYLOAD_BYTES = 1446;
    private static final int RECORDS_PER_BATCH = 40;
    private static final int MEASURED_BYTES = 8 << 20;
    /** Stores into 8 MiB of new pages: 4 faults with 2 MiB folios; a fault per 64 KiB or less without the advice. */
    private static final int MOST_FAULTS_ADVISED = 8;

    @TempDir
    Path directory;

    private final byte[] statBytes = new byte[1024];
    private RandomAccessFile stat;

    @BeforeEach
    void openStat() throws IOException
    {
        stat = new RandomAccessFile("/proc/thread-self/stat", "r");
    }

    @AfterEach
    void closeStat() throws IOException
    {
        stat.close();
    }

    @Test
    void shouldFaultTheAppendersNewPagesInByTwoMebibyteFolios() throws Exception
    {
        assertTrue(MappedPageAdvice.isAvailable(), "madvise through JNA on Linux");
        final UnsafeBuffer record = record();
        final int length = JournalRecordDescriptor.PAYLOAD_OFFSET + PAYLOAD_BYTES;
        final int batchBytes = RECORDS_PER_BATCH * length;
        try (JournalAppender appender = JournalAppender.open(directory.resolve("j"), RollCycles.FAST_HOURLY, 0, HEADER))
        {
            for (int written = 0; written < 2 * MEASURED_BYTES; written += batchBytes) // past the read-around window of the chunk's first fault
            {
                appendBatch(appender, record, length);
                appender.commitBatch();
            }
            long storeFaults = 0;
            for (int written = 0; written < MEASURED_BYTES; written += batchBytes)
            {
                final long faults0 = faults();
                appendBatch(appender, record, length);
                storeFaults += faults() - faults0;
                appender.commitBatch();
            }
            assertTrue(storeFaults <= MOST_FAULTS_ADVISED, storeFaults + " faults storing 8 MiB of batches into an advised chunk");
        }
    }

    @Test
    void shouldAdviseEachChunkOnceWithoutAllocating() throws IOException
    {
        final Path file = directory.resolve("advised.bin");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final MappedBytes bytes = MappedBytes.mappedBytes(file.toFile(), 4 << 20);
        try
        {
            final JournalChunkAdvisor advisor = new JournalChunkAdvisor("test");
            bytes.writeLong(0L); // maps the chunk
            advisor.adviseIfNew(bytes.bytesStore());
            final long allocated0 = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1_000; i++)
            {
                advisor.adviseIfNew(bytes.bytesStore());
            }
            assertEquals(0, threads.getCurrentThreadAllocatedBytes() - allocated0, "advising allocates nothing");
            assertEquals(0, advisor.refusals(), "every madvise call taken");
        }
        finally
        {
            bytes.releaseLast();
            Files.deleteIfExists(file);
        }
    }

    @Test
    void shouldFaultMoreOftenStoringIntoAPlainMappingThanIntoAnAdvisedOne() throws IOException
    {
        final Path file = directory.resolve("plain.bin");
        final UnsafeBuffer record = record();
        final MappedBytes bytes = MappedBytes.mappedBytes(file.toFile(), 64 << 20);
        try
        {
            bytes.writeLong(0L); // maps the chunk
            final long faults0 = faults();
            for (int written = 0; written < MEASURED_BYTES; written += PAYLOAD_BYTES)
            {
                bytes.unsafeWrite(record.addressOffset(), PAYLOAD_BYTES);
            }
            final long faults = faults() - faults0;
            assertTrue(faults > 2 * MOST_FAULTS_ADVISED, "the control: " + faults + " faults storing 8 MiB into a plain mapping");
        }
        finally
        {
            bytes.releaseLast();
            Files.deleteIfExists(file);
        }
    }

    private static void appendBatch(final JournalAppender appender, final UnsafeBuffer record, final int length) throws JournalException
    {
        for (int i = 0; i < RECORDS_PER_BATCH; i++)
        {
            appender.appendToBatch(record, 0, length);
        }
    }

    private static UnsafeBuffer record()
    {
        final UnsafeBuffer record = new UnsafeBuffer(ByteBuffer.allocateDirect(JournalRecordDescriptor.PAYLOAD_OFFSET + PAYLOAD_BYTES));
        JournalRecordDescriptor.putFields(record, 0, 1, 0, CaptureRecordKind.WS, BINANCE);
        for (int i = 0; i < PAYLOAD_BYTES; i++)
        {
            record.putByte(JournalRecordDescriptor.PAYLOAD_OFFSET + i, (byte)('a' + i % 26));
        }
        return record;
    }

    /**
     * @return the calling thread's page faults so far, minor and major (fields 10 and 12 of {@code /proc/thread-self/stat}:
     *         a fault that reads a folio into the page cache counts as major), read without allocating: an allocation
     *         may touch a fresh heap page and fault.
     */
    private long faults() throws IOException
    {
        stat.seek(0);
        final int length = stat.read(statBytes);
        int i = 0;
        while (statBytes[i] != ')')
        {
            i++;
        }
        i += 2; // field 3, the state
        long faults = 0;
        for (int field = 3; field <= 12 && i < length; field++)
        {
            long value = 0;
            while (i < length && statBytes[i] != ' ')
            {
                value = value * 10 + statBytes[i++] - '0';
            }
            i++;
            if (field == 10 || field == 12)
            {
                faults += value;
            }
        }
        return faults;
    }
}
