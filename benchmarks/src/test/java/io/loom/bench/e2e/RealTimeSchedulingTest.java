package io.loom.bench.e2e;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A thread runs {@code SCHED_FIFO} after {@link RealTimeScheduling#fifo} and time-sharing again
 * after {@link RealTimeScheduling#timeSharing}; where the kernel refuses (no root or {@code CAP_SYS_NICE}),
 * the refusal names the missing privilege and leaves the thread as it was. Checked on a child process ({@code sleep}, whose
 * main thread id is its pid), never on the test JVM's own threads.
 */
class RealTimeSchedulingTest
{
    @Test
    void shouldRunAThreadFifoAndGiveItBackToTimeSharing() throws Exception
    {
        assumeTrue(Files.exists(Path.of("/proc/self/sched")), "needs Linux");
        final Process child = new ProcessBuilder("sleep", "30").start();
        try
        {
            final int tid = (int)child.pid();
            assertEquals("OTHER", RealTimeScheduling.policy(tid));
            try
            {
                RealTimeScheduling.fifo(tid, 5);
            }
            catch (final IllegalStateException refused)
            {
                // a machine that does not grant root or CAP_SYS_NICE (a CI runner): the refusal is clear and changes nothing
                assertTrue(refused.getMessage().contains("needs root or CAP_SYS_NICE"), refused.getMessage());
                assertEquals("OTHER", RealTimeScheduling.policy(tid));
                return;
            }
            assertEquals("FIFO", RealTimeScheduling.policy(tid));
            assertEquals(true, RealTimeScheduling.timeSharing(tid));
            assertEquals("OTHER", RealTimeScheduling.policy(tid));
        }
        finally
        {
            child.destroyForcibly().waitFor();
        }
    }

    @Test
    void shouldSkipAThreadThatHasEndedAndRejectABadPriority() throws Exception
    {
        final Process child = new ProcessBuilder("true").start();
        child.waitFor();
        assertFalse(RealTimeScheduling.timeSharing((int)child.pid()), "ended: nothing to give back");
        assertThrows(IllegalArgumentException.class, () -> RealTimeScheduling.fifo((int)child.pid(), 0));
        assertThrows(IllegalArgumentException.class, () -> RealTimeScheduling.fifo((int)child.pid(), 100));
    }
}
