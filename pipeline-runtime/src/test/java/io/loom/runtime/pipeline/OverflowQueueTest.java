package io.loom.runtime.pipeline;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OverflowQueueTest
{
    @Test
    void shouldKeepMessagesWholeAndInOrderAcrossTheWrapOfItsArray()
    {
        final OverflowQueue queue = new OverflowQueue(6); // 8 slots, 6 usable
        long sequence = 0;
        long expected = 0;
        for (int round = 0; round < 50; round++)
        {
            final int length = 1 + round % 3;
            while (!queue.hasRoomFor(length))
            {
                expected = removeOldest(queue, expected);
            }
            final long tail = queue.tail();
            for (int i = 0; i < length; i++)
            {
                queue.slot(tail + i).sequence(sequence++);
            }
            queue.commit(length);
            assertTrue(queue.depth() <= queue.capacity());
        }
        while (!queue.isEmpty())
        {
            expected = removeOldest(queue, expected);
        }
        assertEquals(sequence, expected);
    }

    @Test
    void shouldCountCapacityInEventsNotSlots()
    {
        final OverflowQueue queue = new OverflowQueue(5);
        assertEquals(5, queue.capacity());
        assertTrue(queue.hasRoomFor(5));
        assertFalse(queue.hasRoomFor(6));
        queue.commit(3);
        assertEquals(3, queue.depth());
        assertEquals(3, queue.headLength());
        assertEquals(0, queue.lengthAt(1));
        assertFalse(queue.hasRoomFor(3));
        assertSame(queue.slot(0), queue.slot(8));
        assertNotSame(queue.slot(0), queue.slot(1));
        assertThrows(IllegalArgumentException.class, () -> new OverflowQueue(0));
    }

    private static long removeOldest(final OverflowQueue queue, final long expected)
    {
        final int length = queue.headLength();
        final long head = queue.head();
        for (int i = 0; i < length; i++)
        {
            assertEquals(expected + i, queue.slot(head + i).sequence());
        }
        queue.remove(1, length);
        return expected + length;
    }
}
