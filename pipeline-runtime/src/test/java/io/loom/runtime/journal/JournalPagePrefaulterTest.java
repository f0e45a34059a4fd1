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
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The journal's stores land in pages mapped ahead by {@link JournalPagePrefaulter}: no page fault, no allocation; a plain mapping faults. */
class JournalPagePrefaulterTest
{
    private static final CaptureHeader HEADER = CaptureHeader.of("binance-spot", "JournalPagePrefaulterTest");
    private static final int BINANCE = JournalVenues.code("binance-spot");
    private static final int PAYLOAD_BYTES = 1446;
    private static final int RECORDS_PER_BATCH = 40;
    private static final int BATCHES = 8;

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
    void shouldLetTheAppendersBatchesStoreIntoPagesMappedAheadWithoutFaulting() throws Exception
    {
        assertTrue(MappedPageAdvice.isAvailable(), "madvise(MADV_POPULATE_WRITE) through JNA on Linux 5.14+");
        final UnsafeBuffer record = record();
        final int length = JournalRecordDescriptor.PAYLOAD_OFFSET + PAYLOAD_BYTES;
        try (JournalAppender appender = JournalAppender.open(directory.resolve("j"), RollCycles.FAST_HOURLY, 0, HEADER))
        {
            appendBatch(appender, record, length); // the first excerpt maps the chunk; its commit populates ahead
            appender.commitBatch();
            long storeFaults = 0;
            for (int batch = 0; batch < BATCHES; batch++)
            {
                final long faults0 = minorFaults();
                appendBatch(appender, record, length);
                storeFaults += minorFaults() - faults0;
                appender.commitBatch();
            }
            assertEquals(1 + (BATCHES + 1) * RECORDS_PER_BATCH, appender.appended(), "the header and every record committed");
            // Without the populate calls the same stores take one fault per 4 KiB page (114 here: the chunk is MADV_RANDOM);
            // a fault or two may come from the JVM's own memory (a fresh heap page), not from the journal's file.
            assertTrue(storeFaults <= 2, storeFaults + " faults storing " + BATCHES + " batches (~" +
                BATCHES * RECORDS_PER_BATCH * length / 1024 + " KiB) into pages populated ahead");
        }
    }

    @Test
    void shouldPopulateAheadOfEachWritePositionWithoutAllocatingSoStoresDoNotFault() throws IOException
    {
        final Path file = directory.resolve("populated.bin");
        final UnsafeBuffer record = record();
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final MappedBytes bytes = MappedBytes.mappedBytes(file.toFile(), 4 << 20);
        try
        {
            final JournalPagePrefaulter prefaulter = new JournalPagePrefaulter("test");
            bytes.writeLong(0L); // maps the chunk
            prefaulter.populateAhead(bytes.bytesStore(), bytes.writePosition());
            long storeFaults = 0;
            long populateAllocated = 0;
            for (int i = 0; i < BATCHES * RECORDS_PER_BATCH; i++)
            {
                final long faults0 = minorFaults();
                bytes.unsafeWrite(record.addressOffset(), PAYLOAD_BYTES);
                storeFaults += minorFaults() - faults0;
                final long allocated0 = threads.getCurrentThreadAllocatedBytes();
                prefaulter.populateAhead(bytes.bytesStore(), bytes.writePosition());
                populateAllocated += threads.getCurrentThreadAllocatedBytes() - allocated0;
            }
            assertEquals(0, prefaulter.refusals(), "every madvise call taken");
            assertTrue(storeFaults <= 2, storeFaults + " faults storing " + BATCHES * RECORDS_PER_BATCH * PAYLOAD_BYTES / 1024 +
                " KiB into pages populated ahead (a fault or two may be the JVM's own memory)");
            assertEquals(0, populateAllocated, "populating allocates nothing");
        }
        finally
        {
            bytes.releaseLast();
            Files.deleteIfExists(file);
        }
    }

    @Test
    void shouldFaultWhenStoringIntoAFreshMappingThatNothingPopulated() throws IOException
    {
        final Path file = directory.resolve("plain.bin");
        final UnsafeBuffer record = record();
        final MappedBytes bytes = MappedBytes.mappedBytes(file.toFile(), 4 << 20);
        try
        {
            bytes.writeLong(0L); // maps the chunk
            final long faults0 = minorFaults();
            for (int i = 0; i < BATCHES * RECORDS_PER_BATCH; i++)
            {
                bytes.unsafeWrite(record.addressOffset(), PAYLOAD_BYTES);
            }
            assertTrue(minorFaults() - faults0 > 0, "the control: stores into pages not mapped yet fault (the counter works here)");
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
        final UnsafeBuffer record = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(JournalRecordDescriptor.PAYLOAD_OFFSET + PAYLOAD_BYTES));
        JournalRecordDescriptor.putFields(record, 0, 1, 0, CaptureRecordKind.WS, BINANCE);
        for (int i = 0; i < PAYLOAD_BYTES; i++)
        {
            record.putByte(JournalRecordDescriptor.PAYLOAD_OFFSET + i, (byte)('a' + i % 26));
        }
        return record;
    }

    /**
     * @return the calling thread's minor page faults so far (field 10 of {@code /proc/thread-self/stat}), read
     *         without allocating: an allocation may touch a fresh heap page and fault, which would count here.
     */
    private long minorFaults() throws IOException
    {
        stat.seek(0);
        final int length = stat.read(statBytes);
        int field = 0;
        int i = 0;
        while (statBytes[i] != ')')
        {
            i++;
        }
        for (i += 2; field < 7; i++)
        {
            if (statBytes[i] == ' ')
            {
                field++;
            }
        }
        long faults = 0;
        while (i < length && statBytes[i] != ' ')
        {
            faults = faults * 10 + statBytes[i++] - '0';
        }
        return faults;
    }
}
