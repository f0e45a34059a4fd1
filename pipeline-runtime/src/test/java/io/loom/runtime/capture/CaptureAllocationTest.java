package io.loom.runtime.capture;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Iterating a loaded {@link Capture}, and streaming records with {@link CaptureReader#next()},
 * allocate nothing after warm-up, measured with the test thread's allocation counter.
 *
 * <p>Slack: fewer than one byte per record in total (the counter read itself may cost a few
 * bytes); anything allocated per record would be at least 16 bytes each.
 */
class CaptureAllocationTest
{
    private static final String COINM = "binance-coinm/10symbols_depth100ms-bookticker-aggtrade_2021-04-17.capture.gz";
    private static final int WARM_UP_PASSES = 20;

    @Test
    void shouldIterateLoadedCaptureWithoutAllocating() throws IOException
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final Capture capture = Capture.load(TestCaptures.path(COINM));
        final long expected = checksum(capture);
        for (int pass = 0; pass < WARM_UP_PASSES; pass++)
        {
            assertEquals(expected, checksum(capture));
        }

        final long before = threads.getCurrentThreadAllocatedBytes();
        final long measured = checksum(capture);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(expected, measured);
        assertTrue(allocated < capture.size(), allocated + " bytes allocated over " + capture.size() + " records");
    }

    @Test
    void shouldStreamRecordsWithoutAllocatingAfterWarmUp() throws IOException
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final Capture capture = Capture.load(TestCaptures.path(COINM));
        final int warmUpRecords = capture.size() / 2;
        try (CaptureReader reader = CaptureReader.open(TestCaptures.path(COINM)))
        {
            for (int i = 0; i < warmUpRecords; i++)
            {
                assertTrue(reader.next());
            }

            final long before = threads.getCurrentThreadAllocatedBytes();
            int records = 0;
            long payloadBytes = 0;
            long lastRecvNs = 0;
            while (reader.next())
            {
                payloadBytes += reader.payload().capacity();
                lastRecvNs = reader.recvNs();
                records++;
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            assertEquals(capture.size() - warmUpRecords, records);
            long expectedBytes = 0;
            for (int i = warmUpRecords; i < capture.size(); i++)
            {
                expectedBytes += capture.payloadLength(i);
            }
            assertEquals(expectedBytes, payloadBytes);
            assertEquals(capture.recvNs(capture.size() - 1), lastRecvNs);
            assertTrue(allocated < records, allocated + " bytes allocated over " + records + " records");
        }
    }

    private static long checksum(final Capture capture)
    {
        final DirectBuffer buffer = capture.buffer();
        long sum = 0;
        for (int i = 0; i < capture.size(); i++)
        {
            sum += capture.recvNs(i) + capture.conn(i) + capture.kind(i).ordinal() + capture.payloadLength(i);
            if (capture.payloadLength(i) > 0)
            {
                sum += buffer.getByte(capture.payloadOffset(i));
            }
        }
        return sum;
    }
}
