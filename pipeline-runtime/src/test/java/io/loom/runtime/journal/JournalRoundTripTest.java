package io.loom.runtime.journal;

import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureRecordKind;
import io.loom.runtime.capture.TestCaptures;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Capture → journal → capture gives the capture's text back byte for byte, for every bundled capture. */
class JournalRoundTripTest
{
    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {
        "binance-spot/ethusdt_depth100ms-trade-bookticker_2024-08-08.capture.gz",
        "binance-spot/4symbols_depth100ms-bookticker-aggtrade-kline_2021-10-12.capture.gz",
        "binance-usdm/ethusdt_depth0ms-trade-bookticker_2024-08-08.capture.gz",
        "binance-coinm/10symbols_depth100ms-bookticker-aggtrade_2021-04-17.capture.gz",
        "kraken-v1/10pairs_book1000_2021-04-17.capture.gz",
        "kraken-v1/10pairs_trade_2021-04-17.capture.gz"
    })
    void shouldExportImportedCaptureByteIdentically(final String relative) throws IOException
    {
        final Path original = TestCaptures.path(relative);
        final Path journal = directory.resolve("journal");
        final Path exported = directory.resolve("exported.capture.gz");

        final long imported = JournalTransfer.importCapture(original, journal, RollCycles.FAST_HOURLY);
        final long exportedRecords = JournalTransfer.exportCapture(journal, exported);

        assertEquals(Capture.load(original).size(), imported);
        assertEquals(imported, exportedRecords);
        assertArrayEquals(gunzip(original), gunzip(exported), "decompressed text of " + relative);
    }

    @Test
    void shouldReadImportedRecordsWithTheirVenueAndOneSession() throws IOException
    {
        final Path original = TestCaptures.path("kraken-v1/10pairs_trade_2021-04-17.capture.gz");
        final Capture capture = Capture.load(original);
        final Path journal = directory.resolve("journal");
        JournalTransfer.importCapture(original, journal, RollCycles.FAST_HOURLY);

        try (JournalReader reader = JournalReader.open(journal))
        {
            assertEquals(capture.header(), reader.header());
            int i = 0;
            while (reader.next())
            {
                assertEquals(capture.recvNs(i), reader.recvNs());
                assertEquals(capture.conn(i), reader.conn());
                assertEquals(capture.kind(i), reader.kind());
                assertEquals("kraken-v1", reader.venue());
                assertEquals(capture.payloadAsString(i), reader.payload().getStringWithoutLengthUtf8(0, reader.payload().capacity()));
                i++;
            }
            assertEquals(capture.size(), i);
            assertEquals(1, reader.sessions());
        }
    }

    @Test
    void shouldReadOnlyRecordsBetweenFromAndTo() throws IOException
    {
        final Path original = TestCaptures.path("binance-spot/4symbols_depth100ms-bookticker-aggtrade-kline_2021-10-12.capture.gz");
        final Capture capture = Capture.load(original);
        final Path journal = directory.resolve("journal");
        JournalTransfer.importCapture(original, journal, RollCycles.FAST_HOURLY);
        final long fromNs = capture.recvNs(capture.size() / 4);
        final long toNs = capture.recvNs(capture.size() * 3 / 4);
        int expected = 0;
        for (int i = 0; i < capture.size(); i++)
        {
            expected += capture.recvNs(i) >= fromNs && capture.recvNs(i) <= toNs ? 1 : 0;
        }

        assertEquals(expected, countInRange(journal, fromNs, toNs));
        assertEquals(expected, countInRange(original, fromNs, toNs));
        assertTrue(expected > 0 && expected < capture.size(), "a proper sub-range: " + expected);
    }

    @Test
    void shouldRefuseToImportIntoADirectoryHoldingFiles() throws IOException
    {
        final Path journal = Files.createDirectories(directory.resolve("journal"));
        Files.writeString(journal.resolve("other.txt"), "x");

        final JournalException ex = assertThrows(JournalException.class, () ->
            JournalTransfer.importCapture(TestCaptures.path("kraken-v1/10pairs_trade_2021-04-17.capture.gz"), journal, RollCycles.FAST_HOURLY));
        assertEquals(JournalException.Reason.NOT_EMPTY, ex.reason());
    }

    @Test
    void shouldRefuseToReadADirectoryThatIsNotAJournal() throws IOException
    {
        final JournalException ex = assertThrows(JournalException.class, () -> JournalReader.open(Files.createDirectories(directory.resolve("empty"))));
        assertEquals(JournalException.Reason.OPEN_FAILED, ex.reason());
    }

    @Test
    void shouldRunWithChronicleAnalyticsDisabled()
    {
        assertEquals("true", System.getProperty("chronicle.analytics.disable"), "the parent pom's loom.system-properties must reach surefire");
    }

    @Test
    void shouldCodeEveryVenueOfTheCaptureFormat()
    {
        for (int code = 0; code < JournalVenues.count(); code++)
        {
            assertTrue(io.loom.runtime.capture.CaptureHeader.isKnownVenue(JournalVenues.venueId(code)));
            assertEquals(code, JournalVenues.code(JournalVenues.venueId(code)));
        }
        assertEquals(14, JournalVenues.count());
        assertEquals(5, CaptureRecordKind.count(), "the journal stores kinds as ordinals: a new kind must be appended");
    }

    private static int countInRange(final Path path, final long fromNs, final long toNs) throws IOException
    {
        int count = 0;
        try (RecordCursor records = RecordCursor.open(path, fromNs, toNs))
        {
            while (records.next())
            {
                assertTrue(records.recvNs() >= fromNs && records.recvNs() <= toNs);
                count++;
            }
        }
        return count;
    }

    static byte[] gunzip(final Path file) throws IOException
    {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file)))
        {
            return in.readAllBytes();
        }
    }
}
