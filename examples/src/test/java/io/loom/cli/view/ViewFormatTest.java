package io.loom.cli.view;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Prices from mantissas, exactly; latencies in microseconds. */
class ViewFormatTest
{
    @Test
    void shouldWriteExactDecimalsWithoutTrailingZeros()
    {
        assertEquals("2560.12", ViewFormat.decimal(256_012_000_000L, -8));
        assertEquals("0.00000637", ViewFormat.decimal(637, -8));
        assertEquals("100", ViewFormat.decimal(10_000_000_000L, -8));
        assertEquals("0", ViewFormat.decimal(0, -8));
        assertEquals("-0.01", ViewFormat.decimal(-1, -2));
    }

    @Test
    void shouldWriteMicrosecondsWithADecimalBelowOneHundred()
    {
        assertEquals("85.2", ViewFormat.micros(85_240));
        assertEquals("410", ViewFormat.micros(410_400));
        assertEquals("0.0", ViewFormat.micros(0));
    }
}
