package io.loom.bench.e2e;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class WireTimesTest
{
    @Test
    void shouldGiveTheReaderWhenTheSenderSaidAStampedUpdateLeft() throws Exception
    {
        try (WireTimes harness = WireTimes.create(); WireTimes sender = WireTimes.open(harness.file()))
        {
            sender.onLeaving(1_000_000_123L, 1_000_004_000L);
            sender.onLeaving(1_000_100_456L, 1_000_105_000L);

            assertEquals(1_000_004_000L, harness.leavingNs(1_000_000_123L));
            assertEquals(1_000_105_000L, harness.leavingNs(1_000_100_456L));
            assertEquals(0, harness.leavingNs(1_000_200_789L), "never sent");
        }
    }

    @Test
    void shouldAnswerNothingRatherThanAnotherUpdatesTimeWhenAStampIsOverwritten() throws Exception
    {
        try (WireTimes harness = WireTimes.create(); WireTimes sender = WireTimes.open(harness.file()))
        {
            long other = 2;
            while (WireTimes.slot(other) != WireTimes.slot(1)) // a stamp that shares stamp 1's slot
            {
                other++;
            }
            sender.onLeaving(1, 100);
            sender.onLeaving(other, 200);

            assertEquals(0, harness.leavingNs(1));
            assertEquals(200, harness.leavingNs(other));
        }
    }

    @Test
    void shouldDeleteItsFileWhenTheHarnessClosesIt() throws Exception
    {
        final WireTimes harness = WireTimes.create();
        harness.close();

        assertFalse(Files.exists(harness.file()));
    }
}
