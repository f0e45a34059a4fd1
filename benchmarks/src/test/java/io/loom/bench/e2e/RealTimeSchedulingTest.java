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
 * after {@link RealTimeScheduling#timeSharing}. Checked on a child process ({@code sleep}, whose
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
            RealTimeScheduling.fifo(tid, 5);
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
    void shouldKnowTheCallingThreadsLinuxId()
    {
        assumeTrue(Files.exists(Path.of("/proc/thread-self")), "needs Linux");
        final int tid = RealTimeScheduling.currentThreadId();
        assertTrue(Files.exists(Path.of("/proc/self/task", Integer.toString(tid))), "a thread of this process: " + tid);
        assertEquals("OTHER", RealTimeScheduling.policy(tid));
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
