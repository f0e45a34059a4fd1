package io.loom.connectors.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class SymbolIndexTest
{
    @Test
    void findsSymbolsWhereTheyLieInAFrame()
    {
        final SymbolIndex index = new SymbolIndex();
        index.put("ETHUSDT", 1);
        index.put("XBT/USD", 2);
        final byte[] frame = "{\"s\":\"ETHUSDT\",\"p\":\"XBT/USD\",\"q\":\"ETHUSD\"}".getBytes(StandardCharsets.US_ASCII);
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);

        assertEquals(1, index.get(buffer, 6, 7));
        assertEquals(2, index.get(buffer, 20, 7));
        assertEquals(SymbolIndex.MISSING, index.get(buffer, 34, 6), "a prefix of a key is another key");
        assertEquals(SymbolIndex.MISSING, index.get(buffer, 6, 0));
    }

    @Test
    void findsSymbolsThatEndTheBufferWhateverTheirLength()
    {
        final SymbolIndex index = new SymbolIndex();
        final String[] symbols = {"A", "XBT/USD", "ETHUSDT", "BTCUSDT_PERP", "ETHUSD_210625", "LONGERTHANSIXTEEN"};
        for (int i = 0; i < symbols.length; i++)
        {
            index.put(symbols[i], i);
        }
        for (int i = 0; i < symbols.length; i++)
        {
            final byte[] exact = symbols[i].getBytes(StandardCharsets.US_ASCII);
            assertEquals(i, index.get(new UnsafeBuffer(exact), 0, exact.length), symbols[i] + " alone in its buffer");
            final byte[] framed = ("{\"s\":\"" + symbols[i] + "\",\"u\":12345678}").getBytes(StandardCharsets.US_ASCII);
            assertEquals(i, index.get(new UnsafeBuffer(framed), 6, exact.length), symbols[i] + " inside a frame");
            assertEquals(SymbolIndex.MISSING, index.get(new UnsafeBuffer(framed), 6, exact.length + 1), symbols[i] + " with its quote");
        }
    }

    @Test
    void putReplacesTheValueOfAKnownSymbol()
    {
        final SymbolIndex index = new SymbolIndex();
        index.put("BTCUSDT", 1);
        index.put("BTCUSDT", 7);
        final UnsafeBuffer key = new UnsafeBuffer("BTCUSDT".getBytes(StandardCharsets.US_ASCII));

        assertEquals(7, index.get(key, 0, 7));
        assertEquals(1, index.size());
    }

    @Test
    void agreesWithAHashMapThroughGrowth()
    {
        final SymbolIndex index = new SymbolIndex();
        final Map<String, Integer> model = new HashMap<>();
        final Random random = new Random(42);
        for (int i = 0; i < 2_000; i++)
        {
            final String symbol = randomSymbol(random);
            index.put(symbol, i);
            model.put(symbol, i);
        }
        for (int i = 0; i < 4_000; i++)
        {
            final String symbol = i % 2 == 0 ? randomSymbol(random) : model.keySet().iterator().next();
            final byte[] bytes = ("x" + symbol + "y").getBytes(StandardCharsets.US_ASCII);
            final int expected = model.getOrDefault(symbol, SymbolIndex.MISSING);
            assertEquals(expected, index.get(new UnsafeBuffer(bytes), 1, bytes.length - 2), symbol);
        }
        assertEquals(model.size(), index.size());
    }

    @Test
    void lookUpsAllocateNothing()
    {
        final SymbolIndex index = new SymbolIndex();
        for (int i = 0; i < 100; i++)
        {
            index.put("SYM" + i, i);
        }
        final UnsafeBuffer key = new UnsafeBuffer("SYM42".getBytes(StandardCharsets.US_ASCII));
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (int i = 0; i < 20_000; i++)
        {
            sum += index.get(key, 0, 5);
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++)
        {
            sum += index.get(key, 0, 5);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(42L * 120_000, sum);
        // One object per look-up would be at least 1.6 MB; under 1 KiB leaves room only for a one-off (JIT).
        assertTrue(allocated < 1024, allocated + " bytes allocated by 100,000 look-ups");
    }

    private static String randomSymbol(final Random random)
    {
        final int length = 1 + random.nextInt(10);
        final StringBuilder symbol = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            symbol.append((char)('A' + random.nextInt(6)));
        }
        return symbol.toString();
    }
}
