package io.loom.connectors.session;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstrumentQueueTest
{
    @Test
    void shouldServeInOrderAndEachInstrumentOnceUntilPolled()
    {
        final InstrumentQueue queue = new InstrumentQueue(4);
        assertTrue(queue.add(3));
        assertTrue(queue.add(1));
        assertFalse(queue.add(3), "3 is queued already");
        assertEquals(3, queue.poll());
        assertTrue(queue.add(3), "3 may be asked for again once served");
        assertEquals(1, queue.poll());
        assertEquals(3, queue.poll());
        assertEquals(-1, queue.poll());
        assertTrue(queue.isEmpty());
    }

    @Test
    void shouldGrowForLargeIdsKeepingTheOrder()
    {
        final InstrumentQueue queue = new InstrumentQueue(2);
        for (int id = 0; id < 16; id++)
        {
            queue.add(id);
        }
        queue.poll();
        queue.poll();
        queue.add(1_000);
        for (int id = 2; id < 16; id++)
        {
            assertEquals(id, queue.poll());
        }
        assertEquals(1_000, queue.poll());
    }

    @Test
    void shouldForgetEverythingOnClear()
    {
        final InstrumentQueue queue = new InstrumentQueue(8);
        queue.add(5);
        queue.add(6);
        queue.clear();
        assertTrue(queue.isEmpty());
        assertTrue(queue.add(5), "a cleared id may be queued again");
    }
}
