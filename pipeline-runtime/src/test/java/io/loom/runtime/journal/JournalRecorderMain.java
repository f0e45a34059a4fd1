package io.loom.runtime.journal;

import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.capture.CaptureRecordKind;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of {@link JournalCrashTest}: records numbered frames through a {@link JournalWriter}
 * with a one-second roll cycle until it is killed, printing {@code durable <n>} whenever the count
 * of its records in the queue grows. Args: journal directory, first record number.
 *
 * <p>Thread-safety: a main.
 */
public final class JournalRecorderMain
{
    private static final long SELF_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);

    private JournalRecorderMain()
    {
    }

    /**
     * @param args journal directory, first record number.
     * @throws Exception on failure (the test sees a missing report).
     */
    public static void main(final String[] args) throws Exception
    {
        final Path directory = Path.of(args[0]);
        long number = Long.parseLong(args[1]);
        final JournalContext context = new JournalContext().directory(directory)
            .header(CaptureHeader.of("binance-spot", "JournalRecorderMain")).rollCycle(TestRollCycles.TEST_SECONDLY)
            .failureListener(failure -> System.out.println("failed " + failure.getMessage()));
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[JournalCrashTest.MAX_PAYLOAD]);
        final int venue = JournalVenues.code("binance-spot");
        final long deadlineNs = System.nanoTime() + SELF_TIMEOUT_NS;
        try (JournalWriter writer = JournalWriter.start(context))
        {
            long reported = -1;
            while (System.nanoTime() - deadlineNs < 0 && writer.failure() == null)
            {
                for (int i = 0; i < 20; i++, number++)
                {
                    final int length = JournalCrashTest.payload(number, frame);
                    writer.append(number, 0, venue, CaptureRecordKind.WS, frame, 0, length);
                }
                final long durable = writer.appended() - 1;
                if (durable != reported)
                {
                    System.out.println("durable " + durable);
                    System.out.flush();
                    reported = durable;
                }
                Thread.sleep(2);
            }
        }
    }
}
