package io.loom.bench.e2e;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The paced sender's stamp: the schedule for an update held behind the previous send, the clock otherwise. */
class StampedStreamServerStampTest
{
    @Test
    void shouldStampAnUpdateHeldBehindThePreviousSendWithItsDueTime()
    {
        // due at 1,000 µs, the previous send (blocked by a full socket) returned at 1,800 µs, found due at 1,805 µs
        assertEquals(1_000_000, StampedStreamServer.stampOf(1_000_000, 1_800_000, 1_805_000));
    }

    @Test
    void shouldStampAnUpdateTheSenderWokeLateForWithTheClock()
    {
        // due at 1,000 µs, the previous send returned at 900 µs, the sender's sleep overshot to 1,070 µs
        assertEquals(1_070_000, StampedStreamServer.stampOf(1_000_000, 900_000, 1_070_000));
        assertEquals(1_070_000, StampedStreamServer.stampOf(1_000_000, 0, 1_070_000), "the first update");
    }
}
