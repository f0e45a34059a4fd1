package io.loom.runtime.journal;

import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.capture.CaptureRecordKind;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Crash safety: a child JVM records numbered frames with a one-second roll cycle and is SIGKILLed
 * ({@link Process#destroyForcibly()}) at a random point, several times, each new child continuing
 * the same queue. After every kill, every record the child reported durable is read back, in
 * order, whole (each payload is checked byte for byte, so a partial record would fail), and the
 * numbering has no hole; a last writer in this JVM continues the queue once more.
 *
 * <p>Kills: {@code -Dloom.journal.crashKills} (3 by default; the {@code journal-crash} Maven
 * profile runs 20). Kills land anywhere in a cycle, so some fall around roll-overs; the test checks
 * that the queue did roll.
 */
class JournalCrashTest
{
    /** The largest payload the recorder writes. */
    static final int MAX_PAYLOAD = 1600;

    private static final long START_TIMEOUT_S = 120;

    @TempDir
    Path directory;

    @Test
    void shouldKeepEveryDurableRecordWholeAndInOrderAcrossKills() throws Exception
    {
        final int kills = Integer.getInteger("loom.journal.crashKills", 3);
        final long seed = Long.getLong("loom.journal.crashSeed", System.nanoTime());
        final Random random = new Random(seed);
        final Path journal = directory.resolve("journal");
        long next = 0;
        long checked = 0;
        for (int kill = 1; kill <= kills; kill++)
        {
            final long reported = recordUntilKilled(journal, next, 200 + random.nextInt(2500), kill);
            final long readable = verify(journal, kill);
            assertTrue(readable >= next + reported,
                "kill " + kill + " (seed " + seed + "): " + reported + " records reported durable from " + next + ", only " + readable + " readable");
            checked += readable;
            next = readable;
        }

        try (JournalWriter writer = JournalWriter.start(new JournalContext().directory(journal)
            .header(CaptureHeader.of("binance-spot", "JournalCrashTest")).failureListener(ex -> { })))
        {
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[MAX_PAYLOAD]);
            for (long number = next; number < next + 100; number++)
            {
                assertTrue(writer.append(number, 0, JournalVenues.code("binance-spot"), CaptureRecordKind.WS, frame, 0, payload(number, frame)));
            }
        }
        final long last = verify(journal, kills + 1);
        assertEquals(next + 100, last, "a new writer continues the queue after the last kill");
        checked += last;

        final long cycleFiles;
        try (Stream<Path> files = Files.list(journal))
        {
            cycleFiles = files.filter(file -> file.getFileName().toString().endsWith(".cq4")).count();
        }
        assertTrue(cycleFiles >= 2, "the one-second roll cycle rolled: " + cycleFiles + " cycle files");
        System.out.printf("journal crash test: kills=%d, records checked=%d (journal holds %d), cycle files=%d, seed=%d%n",
            kills, checked, last, cycleFiles, seed);
    }

    /**
     * Fills {@code frame} with record {@code number}'s payload: the number, then a length and
     * bytes derived from it.
     *
     * @return the payload's length.
     */
    static int payload(final long number, final MutableDirectBuffer frame)
    {
        final int length = 8 + (int)((number * 7919) % (MAX_PAYLOAD - 8));
        frame.putLong(0, number);
        for (int i = 8; i < length; i++)
        {
            frame.putByte(i, (byte)(number + i));
        }
        return length;
    }

    /** Starts a recorder at {@code first}, kills it {@code afterMs} after its first durable record, returns its last report. */
    private long recordUntilKilled(final Path journal, final long first, final int afterMs, final int kill) throws Exception
    {
        final Path stderr = directory.resolve("child-" + kill + ".err");
        final Process child = ChildJvm.start(JournalRecorderMain.class, stderr, 0, journal.toString(), Long.toString(first));
        final AtomicLong durable = new AtomicLong();
        final CountDownLatch started = new CountDownLatch(1);
        final Thread reader = new Thread(() -> readReports(child, durable, started), "child-" + kill + "-stdout");
        reader.start();
        try
        {
            if (!started.await(START_TIMEOUT_S, TimeUnit.SECONDS))
            {
                fail("child " + kill + " reported nothing durable within " + START_TIMEOUT_S + " s: " + Files.readString(stderr));
            }
            Thread.sleep(afterMs);
        }
        finally
        {
            child.destroyForcibly();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the killed child ended");
            reader.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertFalse(reader.isAlive());
        assertEquals(137, child.exitValue(), "SIGKILLed: " + Files.readString(stderr));
        return durable.get();
    }

    private static void readReports(final Process child, final AtomicLong durable, final CountDownLatch started)
    {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)))
        {
            for (String line = lines.readLine(); line != null; line = lines.readLine())
            {
                if (line.startsWith("durable "))
                {
                    durable.set(Long.parseLong(line.substring("durable ".length())));
                    if (durable.get() > 0)
                    {
                        started.countDown();
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            // the pipe breaks when the child is killed: the reports so far are what counts
        }
    }

    /** Reads the whole journal: records numbered 0, 1, 2, … with their exact payloads; returns how many. */
    private static long verify(final Path journal, final long sessions) throws IOException
    {
        final UnsafeBuffer expected = new UnsafeBuffer(new byte[MAX_PAYLOAD]);
        long number = 0;
        try (JournalReader reader = JournalReader.open(journal))
        {
            while (reader.next())
            {
                final DirectBuffer payload = reader.payload();
                final int length = payload(number, expected);
                assertEquals(number, reader.recvNs(), "record order");
                assertEquals(length, payload.capacity(), "record " + number + " length");
                for (int i = 0; i < length; i++)
                {
                    if (payload.getByte(i) != expected.getByte(i))
                    {
                        fail("record " + number + " differs at byte " + i);
                    }
                }
                number++;
            }
            assertEquals(sessions, reader.sessions(), "one header per writer session");
        }
        return number;
    }
}
