package io.loom.bench.codec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The recorded Binance depthUpdate frames the codec benchmarks decode, read byte for byte from the
 * bundled captures ({@code data/captures}, found from the working directory upwards).
 *
 * <p>Thread-safety: immutable.
 */
public enum RecordedDepthUpdate
{
    /** Binance spot ETHUSDT depth@100ms, 2024-08-08: the first frame of at least 500 bytes (the median is ~540). */
    SPOT("binance-spot/ethusdt_depth100ms-trade-bookticker_2024-08-08.capture.gz", 500),
    /** Binance USD-M ETHUSDT depth@0ms, 2024-08-08: the first frame (1,572 bytes, 46 levels). */
    USDM("binance-usdm/ethusdt_depth0ms-trade-bookticker_2024-08-08.capture.gz", 0);

    private final String capture;
    private final int minimumBytes;

    RecordedDepthUpdate(final String capture, final int minimumBytes)
    {
        this.capture = capture;
        this.minimumBytes = minimumBytes;
    }

    /**
     * Reads the frame from its capture.
     *
     * @return the frame's bytes, a fresh copy.
     */
    public byte[] read()
    {
        final Path file = capturesDirectory().resolve(capture);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.ISO_8859_1)))
        {
            for (String line = reader.readLine(); line != null; line = reader.readLine())
            {
                final String[] fields = line.split("\t", 4);
                if (fields.length == 4 && fields[2].equals("WS") && fields[3].contains("\"e\":\"depthUpdate\"") && fields[3].length() >= minimumBytes)
                {
                    return fields[3].getBytes(StandardCharsets.ISO_8859_1);
                }
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no depthUpdate of at least " + minimumBytes + " bytes in " + file);
    }

    private static Path capturesDirectory()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            final Path captures = dir.resolve("data").resolve("captures");
            if (Files.isDirectory(captures))
            {
                return captures;
            }
        }
        throw new IllegalStateException("data/captures not found above " + Path.of("").toAbsolutePath() + ": run from the repository");
    }
}
