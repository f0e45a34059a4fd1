package io.loom.runtime.journal;

import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.capture.CaptureRecordKind;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal's written pages far behind the write position leave the page cache
 * ({@link JournalPageRecycler}) while the recent ones stay; recycling allocates nothing; a journal
 * written with it reads back whole and byte for byte.
 */
class JournalPageRecyclerTest
{
    private static final int MIB = 1 << 20;
    private static final CaptureHeader HEADER = CaptureHeader.of("binance-spot", "JournalPageRecyclerTest");
    private static final int BINANCE = JournalVenues.code("binance-spot");

    @TempDir
    Path directory;

    @Test
    void shouldDropCleanPagesFarBehindTheWritePositionAndKeepTheRecentOnes() throws IOException
    {
        assertTrue(PageCacheControl.isAvailable(), "sync_file_range and posix_fadvise through JNA on Linux");
        final File file = directory.resolve("written.bin").toFile();
        try (FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ))
        {
            final ByteBuffer chunk = ByteBuffer.allocateDirect(MIB);
            for (int i = 0; i < 16; i++)
            {
                chunk.clear();
                while (chunk.hasRemaining())
                {
                    channel.write(chunk);
                }
            }
            channel.force(false); // clean, so that dropping them cannot depend on the disk's speed
            assertTrue(channel.map(FileChannel.MapMode.READ_ONLY, 0, 4 * MIB).isLoaded(), "the control: written pages are cached");
            try (JournalPageRecycler recycler = new JournalPageRecycler("test", 4 * MIB))
            {
                recycler.afterCommit(file, 16 * MIB);

                assertEquals(12 * MIB, recycler.droppedBytes());
                assertEquals(0, recycler.refusals());
            }
            assertFalse(channel.map(FileChannel.MapMode.READ_ONLY, 0, 4 * MIB).isLoaded(), "pages 12 MiB behind dropped");
            assertTrue(channel.map(FileChannel.MapMode.READ_ONLY, 12 * MIB, 4 * MIB).isLoaded(), "the last 4 MiB kept");
        }
    }

    @Test
    void shouldRecycleWithoutAllocating() throws IOException
    {
        final File file = directory.resolve("empty.bin").toFile();
        assertTrue(file.createNewFile());
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        try (JournalPageRecycler recycler = new JournalPageRecycler("test", 4 * MIB))
        {
            recycler.afterCommit(file, 0); // opens the file
            final long allocated0 = threads.getCurrentThreadAllocatedBytes();
            for (long position = 0; position < 64L * MIB; position += 64 << 10)
            {
                recycler.afterCommit(file, position);
            }
            assertEquals(0, threads.getCurrentThreadAllocatedBytes() - allocated0, "recycling allocates nothing");
            assertEquals(0, recycler.refusals());
            assertEquals(56 * MIB, recycler.droppedBytes(), "up to the last whole step, less the 4 MiB kept");
        }
    }

    @Test
    void shouldReadBackEveryRecordOfAJournalWhosePagesWereRecycled() throws Exception
    {
        final int payloadBytes = 1446;
        final int records = 40_000; // ~58 MiB: past the 16 MiB kept cached behind the write position with 1 MiB blocks
        final UnsafeBuffer record = new UnsafeBuffer(new byte[JournalRecordDescriptor.PAYLOAD_OFFSET + payloadBytes]);
        final Path journal = directory.resolve("j");
        try (JournalAppender appender = JournalAppender.open(journal, RollCycles.FAST_HOURLY, MIB, HEADER))
        {
            for (int i = 0; i < records; i++)
            {
                JournalRecordDescriptor.putFields(record, 0, i, 0, CaptureRecordKind.WS, BINANCE);
                record.putInt(JournalRecordDescriptor.PAYLOAD_OFFSET, i);
                record.putByte(JournalRecordDescriptor.PAYLOAD_OFFSET + payloadBytes - 1, (byte)i);
                appender.appendToBatch(record, 0, record.capacity());
                if (i % 40 == 39)
                {
                    appender.commitBatch();
                }
            }
            appender.commitBatch();
            assertTrue(appender.recycledBytes() > 0, "pages behind the write position dropped");
            assertEquals(0, appender.recyclerRefusals());
        }
        try (JournalReader reader = JournalReader.open(journal))
        {
            for (int i = 0; i < records; i++)
            {
                assertTrue(reader.next(), "record " + i);
                assertEquals(i, reader.recvNs());
                assertEquals(payloadBytes, reader.payload().capacity());
                assertEquals(i, reader.payload().getInt(0));
                assertEquals((byte)i, reader.payload().getByte(payloadBytes - 1));
            }
            assertFalse(reader.next());
        }
    }
}
