package io.loom.runtime.journal;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal whose files cannot grow (a child JVM under {@code ulimit -f}, which fails Chronicle's
 * file growth with "File too large" like a full disk): the failure is a typed APPEND_FAILED, the
 * listener is told once, the records not journaled are counted, nothing is accepted afterwards,
 * the log says what the policy does, and the journal holds exactly the records appended before.
 */
class JournalAppendFailureTest
{
    private static final Pattern REPORT = Pattern.compile("failure=(\\w+) appended=(\\d+) refused=(\\d+) listener=(\\d+) after=(\\w+)");
    private static final int FILE_LIMIT_KIB = 1024;

    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(JournalFailurePolicy.class)
    void shouldFailTypedCountedAndLoudWhenTheJournalCannotGrow(final JournalFailurePolicy policy) throws Exception
    {
        final Path journal = directory.resolve("journal");
        final Path stderr = directory.resolve("child.err");
        final Process child = ChildJvm.start(JournalFillMain.class, stderr, FILE_LIMIT_KIB, journal.toString(), policy.name());
        final String stdout = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child ended");
        final String log = Files.readString(stderr);
        final Matcher report = REPORT.matcher(stdout);
        assertTrue(report.find(), "no report; stdout: " + stdout + "\nstderr: " + log);

        assertEquals("APPEND_FAILED", report.group(1));
        final long appended = Long.parseLong(report.group(2));
        assertTrue(appended > 100, "some records fit under the limit first: " + appended);
        assertTrue(Long.parseLong(report.group(3)) >= 2, "the failed record and the one offered afterwards are counted");
        assertEquals(1, Integer.parseInt(report.group(4)), "the listener is told once");
        assertFalse(Boolean.parseBoolean(report.group(5)), "nothing is accepted after the failure");
        assertTrue(log.contains("File too large"), log);
        assertTrue(log.contains(policy == JournalFailurePolicy.STOP_PIPELINE ? "JOURNAL FAILED, stopping the pipeline" : "CONTINUES WITHOUT A JOURNAL"), log);
        assertTrue(log.contains("records were NOT journaled"), log);
        assertEquals(0, child.exitValue(), log);

        try (JournalReader reader = JournalReader.open(journal))
        {
            for (int number = 0; number < appended - 1; number++)
            {
                assertTrue(reader.next(), "record " + number);
                assertEquals(number, reader.payload().getInt(0));
            }
            assertFalse(reader.next(), "the journal is exactly what was appended");
        }
    }
}
