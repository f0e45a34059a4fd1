package io.loom.bench.e2e;

import io.loom.runtime.capture.Capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The bundled Binance spot and Kraken v1 book captures, found from the module directory upwards. */
final class TestCaptures
{
    static final String BINANCE_SPOT = "binance-spot/ethusdt_depth100ms-trade-bookticker_2024-08-08.capture.gz";
    static final String KRAKEN_BOOK = "kraken-v1/10pairs_book1000_2021-04-17.capture.gz";

    private TestCaptures()
    {
    }

    static Path binanceSpotPath()
    {
        return path(BINANCE_SPOT);
    }

    static Path krakenBookPath()
    {
        return path(KRAKEN_BOOK);
    }

    private static Path path(final String relative)
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
        {
            final Path capture = dir.resolve("data").resolve("captures").resolve(relative);
            if (Files.isRegularFile(capture))
            {
                return capture;
            }
        }
        throw new IllegalStateException("data/captures/" + relative + " not found above " + Path.of("").toAbsolutePath());
    }

    static Capture binanceSpot() throws IOException
    {
        return Capture.load(binanceSpotPath());
    }

    static Capture krakenBook() throws IOException
    {
        return Capture.load(krakenBookPath());
    }
}
