package io.loom.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoomCliTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldExitZeroWithAPassVerdictWhenTheFiberSelfCheckPasses()
    {
        final int exitCode = execute("fibers", "--fibers", "200", "--round-trips", "10000",
            "--warmup-round-trips", "1000", "--timers", "200", "--timer-window-ms", "10", "--seed", "7");

        assertEquals(0, exitCode, () -> out + "\n" + err);
        final String[] lines = out.toString().split("\\R");
        assertEquals(7, lines.length, out::toString);
        assertTrue(lines[6].startsWith("verdict: PASS"), lines[6]);
    }

    @Test
    void shouldReportABadOptionValueOnOneLineAsAUsageError()
    {
        final int exitCode = execute("fibers", "--fibers", "0");

        assertEquals(CommandLine.ExitCode.USAGE, exitCode);
        assertEquals("loom: fibers must be at least 1: 0 (see 'loom fibers --help')", err.toString().strip());
        assertFalse(err.toString().contains("\tat "), "no stack trace without --verbose");
    }

    private int execute(final String... args)
    {
        return LoomCli.newCommandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    }
}
