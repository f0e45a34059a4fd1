package io.loom.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loom.api.event.MarketEvent;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A per-source filter: the inner stage sees its source's events only, in order, and nothing is allocated. */
class SourceFilterStageTest
{
    @Test
    void shouldPassOnlyTheEventsOfItsSource() throws Exception
    {
        final List<Long> seen = new ArrayList<>();
        final SourceFilterStage stage = new SourceFilterStage(2, (event, sequence, endOfBatch) -> seen.add(sequence));
        final MarketEvent event = new MarketEvent();
        for (long sequence = 0; sequence < 6; sequence++)
        {
            stage.onEvent(event.sourceId((int)(sequence % 3) + 1), sequence, false);
        }
        assertEquals(List.of(1L, 4L), seen);
    }

    @Test
    void shouldRejectASourceIdBelowOne()
    {
        assertThrows(IllegalArgumentException.class, () -> new SourceFilterStage(0, (event, sequence, endOfBatch) -> { }));
    }

    @Test
    void shouldNotAllocatePerEvent() throws Exception
    {
        final long[] passed = {0};
        final SourceFilterStage stage = new SourceFilterStage(1, (event, sequence, endOfBatch) -> passed[0]++);
        final MarketEvent event = new MarketEvent();
        for (int i = 0; i < 100_000; i++)
        {
            stage.onEvent(event.sourceId(i % 2 + 1), i, false);
        }
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().threadId();
        final long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100_000; i++)
        {
            stage.onEvent(event.sourceId(i % 2 + 1), i, false);
        }
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertTrue(allocated < 1024, allocated + " bytes allocated over 100,000 events");
        assertEquals(100_000, passed[0]);
    }
}
