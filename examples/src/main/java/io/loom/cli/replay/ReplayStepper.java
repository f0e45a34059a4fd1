package io.loom.cli.replay;

import io.loom.connectors.replay.ReplaySource;
import io.loom.runtime.journal.RecordCursor;
import org.agrona.DirectBuffer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Drives a {@code loom replay --speed step}: a step is one record (CONNECT, SEND, WS, REST or
 * DISCONNECT), replayed through the feeds and the pipeline before the next may go.
 *
 * <pre>
 *   interactive:  prompt ─▶ Enter: 1 record · N: N records · q or end of input: stop ─▶ one line per record replayed ─▶ prompt …
 *   scripted:     --steps N ─▶ N records (fewer if the input ends first), no prompt, no per-record lines
 * </pre>
 *
 * <p>The records shown are read by a cursor of its own over the same input and range, in step
 * with the replay, so the replay itself is not slowed or changed by showing them. Prompts go to
 * standard error, record lines to standard output.
 *
 * <p>Thread-safety: one instance per run, used by the command's thread only.
 */
public final class ReplayStepper
{
    private static final long STEP_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long POLL_MS = 5;
    private static final int PAYLOAD_PREVIEW_BYTES = 120;

    private final ReplaySource replay;
    private final RecordCursor shown;
    private final long totalRecords;
    private final PrintWriter out;
    private final PrintWriter err;

    /**
     * @param replay       a replay built with {@code ReplaySpeed.STEP}, started.
     * @param shown        a cursor over the same input and range, before its first record; closed by the caller.
     * @param totalRecords records in range.
     * @param out          where record lines go.
     * @param err          where prompts go.
     */
    public ReplayStepper(final ReplaySource replay, final RecordCursor shown, final long totalRecords, final PrintWriter out, final PrintWriter err)
    {
        this.replay = replay;
        this.shown = shown;
        this.totalRecords = totalRecords;
        this.out = out;
        this.err = err;
    }

    /**
     * Steps as the user says until the input ends or the user stops.
     *
     * @param in standard input.
     * @return true if every record was replayed; false if the user stopped first.
     * @throws IOException          if the input cannot be read.
     * @throws InterruptedException if interrupted while a step is replayed.
     */
    public boolean interactive(final BufferedReader in) throws IOException, InterruptedException
    {
        while (!replay.completed())
        {
            err.printf("step: %d of %d records replayed; Enter = next record, <N> = N records, q = stop> ", replay.recordsReplayed(), totalRecords);
            err.flush();
            final String line = in.readLine();
            if (line == null || line.strip().equalsIgnoreCase("q"))
            {
                return false;
            }
            final int records;
            try
            {
                records = line.isBlank() ? 1 : Integer.parseInt(line.strip());
            }
            catch (final NumberFormatException ex)
            {
                err.println("step: '" + line.strip() + "' is not a number of records");
                continue;
            }
            if (records <= 0)
            {
                err.println("step: step by a positive number of records, not " + records);
                continue;
            }
            final long before = replay.recordsReplayed();
            stepAndWait(records);
            showRecords(replay.recordsReplayed() - before);
        }
        return true;
    }

    /**
     * Replays {@code records} records (fewer if the input ends first) without reading anything.
     *
     * @param records how many, positive.
     * @throws InterruptedException if interrupted while they are replayed.
     */
    public void scripted(final long records) throws InterruptedException
    {
        long left = records;
        while (left > 0 && !replay.completed())
        {
            final int now = (int)Math.min(left, Integer.MAX_VALUE);
            stepAndWait(now);
            left -= now;
        }
    }

    private void stepAndWait(final int records) throws InterruptedException
    {
        final long target = replay.recordsReplayed() + records;
        replay.step(records);
        final long deadlineNs = System.nanoTime() + STEP_TIMEOUT_NS;
        while (replay.recordsReplayed() < target && !replay.awaitFinished(POLL_MS, TimeUnit.MILLISECONDS))
        {
            if (deadlineNs - System.nanoTime() < 0)
            {
                throw new IllegalStateException("a step of " + records + " records did not finish within " +
                    TimeUnit.NANOSECONDS.toSeconds(STEP_TIMEOUT_NS) + " s");
            }
        }
    }

    private void showRecords(final long records) throws IOException
    {
        for (long i = 0; i < records && shown.next(); i++)
        {
            final DirectBuffer payload = shown.payload();
            final int length = Math.min(payload.capacity(), PAYLOAD_PREVIEW_BYTES);
            out.printf("record %d %s conn=%d %s %s%s%n", replay.recordsReplayed() - records + i + 1,
                Instant.ofEpochSecond(0, shown.recvNs()), shown.conn(), shown.kind(), payload.getStringWithoutLengthUtf8(0, length),
                payload.capacity() > length ? "…" : "");
        }
        out.flush();
    }
}
