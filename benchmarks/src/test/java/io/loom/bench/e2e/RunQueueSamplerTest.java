package io.loom.bench.e2e;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The run-queue sampler keeps only the window's samples (it starts before the window so that its own code is
 * compiled by then) and never counts itself, though it is runnable whenever it samples.
 */
class RunQueueSamplerTest
{
    private static final Pattern SAMPLES = Pattern.compile("(\\d+) samples every 50 ms");

    @Test
    void shouldKeepOnlyTheWindowsSamplesAndNeverCountItself() throws Exception
    {
        assumeTrue(Files.exists(Path.of("/proc/self/task")), "needs Linux");
        final RunQueueSampler sampler = RunQueueSampler.start(ProcessHandle.current().pid());
        Thread.sleep(600); // before the window: ~12 samples, dropped
        final long openNs = System.nanoTime();
        sampler.openWindow();
        Thread.sleep(150);
        final String line = sampler.close();
        final long windowMs = (System.nanoTime() - openNs) / 1_000_000;

        final Matcher samples = SAMPLES.matcher(line);
        assertTrue(samples.find(), line);
        final int kept = Integer.parseInt(samples.group(1));
        assertTrue(kept >= 1 && kept <= windowMs / 50 + 1, kept + " samples in a " + windowMs + "-ms window: " + line);
        assertFalse(line.contains("e2e-runqueue-sa"), "the sampler counted itself: " + line);
    }
}
