package io.loom.bench.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.loom.runtime.codec.JsonCursor;
import io.loom.runtime.codec.JsonToken;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Messages per second decoding one recorded Binance depthUpdate frame: tokenize it, read every
 * number ({@code E}, {@code U}, {@code u}, …) as a {@code long} and every price and quantity (the
 * strings inside {@code b}/{@code a}) as an exact mantissa at 1e-8. One operation is one message;
 * each method returns the sum of what it decoded, and {@link #setUp()} checks that all three agree.
 *
 * <pre>
 *   frame ─┬─▶ loomCursor:            JsonCursor.wrap(direct buffer) ─▶ next() ─▶ tokenAsLong / tokenAsDecimal(-8)
 *          ├─▶ jacksonCharArray:      JsonFactory.createParser(byte[]) ─▶ nextToken() ─▶ getLongValue /
 *          │                            getTextCharacters + an exact char[] mantissa parse (no String)
 *          └─▶ jacksonBigDecimal:     JsonFactory.createParser(byte[]) ─▶ nextToken() ─▶ getLongValue /
 *                                       new BigDecimal(getText()).movePointRight(8).longValueExact()
 * </pre>
 *
 * <p>Frames ({@code -p frame=...}): see {@link RecordedDepthUpdate}. Loom reads the frame from a
 * direct buffer, as behind a socket; Jackson cannot, so it gets the same bytes in a {@code byte[]}.
 * {@code -prof gc} gives B/op: allocation per message.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class DepthUpdateDecodeThroughputBenchmark
{
    private static final int EXPONENT = -8;
    private static final int LEVEL_DEPTH = 4;

    /** Which recorded frame. */
    @Param({"SPOT", "USDM"})
    public RecordedDepthUpdate frame;

    private final JsonCursor cursor = new JsonCursor();
    private final JsonFactory jackson = new JsonFactory();
    private byte[] bytes;
    private UnsafeBuffer directFrame;

    /**
     * Loads the frame and checks that the three decoders agree on it.
     *
     * @throws IOException if Jackson fails.
     */
    @Setup
    public void setUp() throws IOException
    {
        bytes = frame.read();
        directFrame = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes.length));
        directFrame.putBytes(0, bytes);
        final long loom = loomCursor();
        if (loom != jacksonCharArray() || loom != jacksonBigDecimal())
        {
            throw new IllegalStateException("decoders disagree on " + frame + ": " + loom + ", " + jacksonCharArray() + ", " + jacksonBigDecimal());
        }
    }

    /**
     * Loom: JsonCursor and AsciiDecimal straight from the direct buffer.
     *
     * @return the sum of the decoded values.
     */
    @Benchmark
    public long loomCursor()
    {
        long sum = 0;
        cursor.wrap(directFrame, 0, directFrame.capacity());
        for (JsonToken token = cursor.next(); token != JsonToken.END_OF_INPUT; token = cursor.next())
        {
            if (token == JsonToken.NUMBER)
            {
                sum += cursor.tokenAsLong();
            }
            else if (token == JsonToken.STRING && cursor.depth() == LEVEL_DEPTH)
            {
                sum += cursor.tokenAsDecimal(EXPONENT);
            }
        }
        return sum;
    }

    /**
     * Jackson's streaming parser with the best exact decimal path it allows: no String per value.
     *
     * @return the sum of the decoded values.
     * @throws IOException if Jackson fails.
     */
    @Benchmark
    public long jacksonCharArray() throws IOException
    {
        long sum = 0;
        int depth = 0;
        try (JsonParser parser = jackson.createParser(bytes))
        {
            for (com.fasterxml.jackson.core.JsonToken token = parser.nextToken(); token != null; token = parser.nextToken())
            {
                switch (token)
                {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case VALUE_NUMBER_INT -> sum += parser.getLongValue();
                    case VALUE_STRING ->
                    {
                        if (depth == LEVEL_DEPTH)
                        {
                            sum += CharArrayDecimal.parse(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength(), EXPONENT);
                        }
                    }
                    default ->
                    {
                    }
                }
            }
        }
        return sum;
    }

    /**
     * Jackson's streaming parser the usual exact way: a String and a BigDecimal per value.
     *
     * @return the sum of the decoded values.
     * @throws IOException if Jackson fails.
     */
    @Benchmark
    public long jacksonBigDecimal() throws IOException
    {
        long sum = 0;
        int depth = 0;
        try (JsonParser parser = jackson.createParser(bytes))
        {
            for (com.fasterxml.jackson.core.JsonToken token = parser.nextToken(); token != null; token = parser.nextToken())
            {
                switch (token)
                {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case VALUE_NUMBER_INT -> sum += parser.getLongValue();
                    case VALUE_STRING ->
                    {
                        if (depth == LEVEL_DEPTH)
                        {
                            sum += new BigDecimal(parser.getText()).movePointRight(-EXPONENT).longValueExact();
                        }
                    }
                    default ->
                    {
                    }
                }
            }
        }
        return sum;
    }
}
