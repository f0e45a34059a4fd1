package io.loom.connectors.session;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenBucketTest
{
    @Test
    void shouldAllowABurstOfTheCapacityThenOneTokenPerSlice()
    {
        final TokenBucket bucket = new TokenBucket(5, 1_000, 10_000);
        for (int i = 0; i < 5; i++)
        {
            assertTrue(bucket.tryAcquire(10_000), "token " + i + " of the initial burst");
        }
        assertFalse(bucket.tryAcquire(10_000));
        assertEquals(200, bucket.waitNs(10_000));
        assertFalse(bucket.tryAcquire(10_199));
        assertTrue(bucket.tryAcquire(10_200));
        assertFalse(bucket.tryAcquire(10_200));
    }

    @Test
    void shouldNotSaveMoreThanTheCapacityWhileIdle()
    {
        final TokenBucket bucket = new TokenBucket(2, 1_000, 0);
        assertTrue(bucket.tryAcquire(1_000_000));
        assertTrue(bucket.tryAcquire(1_000_000));
        assertFalse(bucket.tryAcquire(1_000_000), "a long idle period refills only the capacity");
    }

    @Test
    void shouldKeepTheLongRunRateAtTheBudget()
    {
        final TokenBucket bucket = new TokenBucket(10, 10_000, 0);
        int granted = 0;
        for (long now = 0; now < 100_000; now += 10)
        {
            granted += bucket.tryAcquire(now) ? 1 : 0;
        }
        assertEquals(10 + 99, granted, "the burst, then one per 1000 ns");
    }
}
