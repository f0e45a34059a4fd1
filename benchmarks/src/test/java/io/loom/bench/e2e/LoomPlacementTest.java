package io.loom.bench.e2e;

import io.loom.api.pipeline.RingWaitStrategy;
import io.loom.runtime.fiber.ReactorIdle;
import io.loom.runtime.net.TcpOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoomPlacementTest
{
    @Test
    void shouldReadTheReactorIdleAndTheStageWait()
    {
        assertEquals(new LoomPlacement(ReactorIdle.BACK_OFF, RingWaitStrategy.SLEEPING, false, false, false, false, 0, 0, TcpOptions.DEFAULTS), LoomPlacement.parse("loom/back-off/sleeping"));
        assertEquals(new LoomPlacement(ReactorIdle.BUSY_SPIN, RingWaitStrategy.YIELDING, false, true, false, false, 0, 0, TcpOptions.DEFAULTS), LoomPlacement.parse("loom/BUSY_SPIN/yielding/pinned"));
    }

    @Test
    void shouldPinAndIsolateTheReactorWhenAskedToIsolate()
    {
        assertEquals(new LoomPlacement(ReactorIdle.BUSY_SPIN, RingWaitStrategy.BACK_OFF, true, true, true, false, 0, 0, TcpOptions.DEFAULTS), LoomPlacement.parse("loom/busy-spin/reactor/isolated"));
        assertEquals(new LoomPlacement(ReactorIdle.BUSY_SPIN, RingWaitStrategy.BACK_OFF, true, true, true, true, 0, 0, TcpOptions.DEFAULTS), LoomPlacement.parse("loom/busy-spin/reactor/isolated-rt"));
    }

    @Test
    void shouldReadTheSamePlacementWithTheJournalOn()
    {
        assertEquals(LoomPlacement.parse("loom/busy-spin/reactor/isolated"), LoomPlacement.parse("loom-journal/busy-spin/reactor/isolated"));
        assertTrue(LoomPlacement.isJournaled("loom-journal/busy-spin/reactor/isolated"));
        assertFalse(LoomPlacement.isJournaled("loom/busy-spin/reactor/isolated"));
        assertFalse(LoomPlacement.isPlacement("loom-journal"));
        assertThrows(IllegalArgumentException.class, () -> LoomPlacement.parse("loom-journal/busy-spin"));
    }

    @Test
    void shouldPutTheStagesOnTheReactorWhenTheWaitIsReactor()
    {
        final LoomPlacement placement = LoomPlacement.parse("loom/back-off/reactor");

        assertTrue(placement.stagesOnReactor());
        assertEquals(ReactorIdle.BACK_OFF, placement.idle());
    }

    @Test
    void shouldSizeTheRingWhenTheNameEndsWithSlots()
    {
        assertEquals(new LoomPlacement(ReactorIdle.BACK_OFF, RingWaitStrategy.BACK_OFF, false, false, false, false, 16_384, 0, TcpOptions.DEFAULTS),
            LoomPlacement.parse("loom/back-off/back-off@16384"));
        assertEquals(4_096, LoomPlacement.parse("loom/busy-spin/reactor/isolated@4096").ringSize());
        assertTrue(LoomPlacement.parse("loom/busy-spin/reactor/isolated@4096").isolated());
        assertEquals(LoomPlacement.DEFAULT_RING_SIZE, LoomPlacement.parse("loom/back-off/back-off").ringSize());
        assertEquals("loom/back-off/back-off@1000: the ring size after @ must be a power of two >= 2, not 1000",
            assertThrows(IllegalArgumentException.class, () -> LoomPlacement.parse("loom/back-off/back-off@1000")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> LoomPlacement.parse("loom/back-off/back-off@"));
        assertThrows(IllegalArgumentException.class, () -> LoomPlacement.parse("loom/back-off/back-off@1k"));
    }

    @Test
    void shouldSizeTheOverflowQueueWhenTheSlotsAreFollowedByEvents()
    {
        assertEquals(new LoomPlacement(ReactorIdle.BACK_OFF, RingWaitStrategy.BACK_OFF, false, false, false, false, 4_096, 2_048, TcpOptions.DEFAULTS),
            LoomPlacement.parse("loom/back-off/back-off@4096:2048"));
        assertEquals(1_000, LoomPlacement.parse("loom/back-off/back-off/pinned@4096:1000+delayed-acks").overflowCapacity());
        assertEquals(LoomPlacement.DEFAULT_OVERFLOW_CAPACITY, LoomPlacement.parse("loom/back-off/back-off@4096").overflowCapacity());
        assertEquals("loom/back-off/back-off@4096:0: the overflow capacity after : must be an integer >= 1, not 0",
            assertThrows(IllegalArgumentException.class, () -> LoomPlacement.parse("loom/back-off/back-off@4096:0")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> LoomPlacement.parse("loom/back-off/back-off@4096:"));
        assertThrows(IllegalArgumentException.class, () -> LoomPlacement.parse("loom/back-off/back-off@:4096"));
    }

    @Test
    void shouldConnectWithDelayedAcksWhenTheNameEndsWithThem()
    {
        assertEquals(TcpOptions.DEFAULTS, LoomPlacement.parse("loom/busy-spin/reactor/isolated").tcp());
        assertEquals(TcpOptions.withDelayedAcks(), LoomPlacement.parse("loom/busy-spin/reactor/isolated+delayed-acks").tcp());
        assertEquals(TcpOptions.withDelayedAcks(0), LoomPlacement.parse("loom/busy-spin/reactor/isolated+delayed-acks=every-read").tcp());
        assertEquals(TcpOptions.withDelayedAcks(TcpOptions.ONCE), LoomPlacement.parse("loom/busy-spin/reactor/isolated+delayed-acks=once").tcp());
        assertEquals(TcpOptions.withDelayedAcks(5_000_000), LoomPlacement.parse("loom/busy-spin/reactor/isolated@4096+delayed-acks=5").tcp());
        assertEquals(4_096, LoomPlacement.parse("loom/busy-spin/reactor/isolated@4096+delayed-acks=5").ringSize());
        assertTrue(LoomPlacement.parse("loom/busy-spin/reactor/isolated+delayed-acks").isolated());
        assertThrows(IllegalArgumentException.class, () -> LoomPlacement.parse("loom/busy-spin/reactor/isolated+delayed-acks=soon"));
        assertThrows(IllegalArgumentException.class, () -> LoomPlacement.parse("loom/busy-spin/reactor/isolated+delayed-acks=-1"));
    }

    @Test
    void shouldNameWhatIsWrong()
    {
        assertEquals("loom/back-off/napping: napping is not one of [BUSY_SPIN, YIELDING, SLEEPING, BLOCKING, BACK_OFF] or reactor",
            assertThrows(IllegalArgumentException.class, () -> LoomPlacement.parse("loom/back-off/napping")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> LoomPlacement.parse("loom/back-off"));
        assertThrows(IllegalArgumentException.class, () -> LoomPlacement.parse("loom/back-off/reactor/glued"));
        assertThrows(IllegalArgumentException.class, () -> LoomPlacement.parse("loom/back-off/reactor/rt"));
        assertThrows(IllegalArgumentException.class, () -> LoomPlacement.parse("loom/dozing/reactor"));
    }
}
