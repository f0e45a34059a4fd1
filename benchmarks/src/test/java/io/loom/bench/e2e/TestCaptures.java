package io.loom.bench.e2e;

import io.loom.runtime.capture.Capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The bundled Binance spot capture, found from the module directory upwards. */
final class TestCaptures
{
    static final String BINANCE_SPOT = "binance-spot/ethusdt_depth100ms-trade-bookticker_2024-08-08.capture.gz";

    private TestCaptures()
    {
    }

    static Path binanceSpotPath()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            final Path capture = dir.resolve("data").resolve("captures").resolve(BINANCE_SPOT);
            if (Files.isRegularFile(capture))
            {
                return capture;
            }
        }
        throw new IllegalStateException("data/captures/" + BINANCE_SPOT + " not found above " + Path.of("").toAbsolutePath());
    }

    static Capture binanceSpot() throws IOException
    {
        return Capture.load(binanceSpotPath());
    }
}
