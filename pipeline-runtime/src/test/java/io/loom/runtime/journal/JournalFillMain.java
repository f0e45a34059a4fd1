package io.loom.runtime.journal;

import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.capture.CaptureRecordKind;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The child JVM of {@link JournalAppendFailureTest}: runs under a file-size limit and journals
 * numbered 1 KiB frames until the journal fails, then prints one line with what the writer saw:
 * {@code failure=<reason> appended=<n> refused=<n> listener=<calls> after=<accepted?>}.
 * Args: journal directory, failure policy.
 *
 * <p>Thread-safety: a main.
 */
public final class JournalFillMain
{
    private static final int MAX_RECORDS = 200_000;

    private JournalFillMain()
    {
    }

    /**
     * @param args journal directory, {@link JournalFailurePolicy} name.
     * @throws Exception on failure (the test sees no report line).
     */
    public static void main(final String[] args) throws Exception
    {
        final AtomicInteger listenerCalls = new AtomicInteger();
        final JournalContext context = new JournalContext().directory(Path.of(args[0]))
            .header(CaptureHeader.of("kraken-v1", "JournalFillMain")).blockSizeBytes(64 << 10)
            .failurePolicy(JournalFailurePolicy.valueOf(args[1])).failureListener(failure -> listenerCalls.incrementAndGet());
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[1024]);
        final int venue = JournalVenues.code("kraken-v1");
        try (JournalWriter writer = JournalWriter.start(context))
        {
            for (int number = 0; number < MAX_RECORDS && writer.failure() == null; number++)
            {
                frame.putInt(0, number);
                if (!writer.append(number, 0, venue, CaptureRecordKind.WS, frame, 0, frame.capacity()))
                {
                    break;
                }
                if ((number & 15) == 15)
                {
                    writer.awaitDrained(TimeUnit.SECONDS.toNanos(30)); // keep the ring from overflowing first
                }
            }
            writer.awaitDrained(TimeUnit.SECONDS.toNanos(30));
            final boolean acceptedAfter = writer.append(-1, 0, venue, CaptureRecordKind.WS, frame, 0, 4);
            System.out.println("failure=" + (writer.failure() == null ? "none" : writer.failure().reason()) +
                " appended=" + writer.appended() + " refused=" + writer.refused() + " listener=" + listenerCalls.get() +
                " after=" + acceptedAfter);
        }
    }
}
