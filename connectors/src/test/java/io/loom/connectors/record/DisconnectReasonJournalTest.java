package io.loom.connectors.record;

import io.loom.api.pipeline.Pipeline;
import io.loom.connectors.kraken.KrakenV1Protocol;
import io.loom.connectors.session.FeedSession;
import io.loom.connectors.session.FeedSessionConfig;
import io.loom.connectors.session.InstrumentSpec;
import io.loom.connectors.session.ReconnectPolicy;
import io.loom.connectors.session.SessionCounter;
import io.loom.connectors.simulator.ExchangeSimulator;
import io.loom.connectors.simulator.SimulatorContext;
import io.loom.runtime.capture.TestCaptures;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.journal.JournalContext;
import io.loom.runtime.journal.JournalInspection;
import io.loom.runtime.journal.JournalInspector;
import io.loom.runtime.journal.JournalWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A recording session journals why each connection ended — here the venue dropping the TCP
 * connection, then a read timeout once the recorded stream has run out — and {@code loom inspect}
 * ({@link JournalInspection#lines()}) lists those reasons.
 */
class DisconnectReasonJournalTest
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long SILENCE_MS = 300;

    @TempDir
    Path directory;

    @Test
    void shouldJournalTheVenuesCloseAndTheReadTimeoutAsDisconnectReasons() throws Exception
    {
        final Capture capture = Capture.load(TestCaptures.path("kraken-v1/10pairs_book1000_2021-04-17.capture.gz"));
        final Path journal = directory.resolve("journal");
        try (ExchangeSimulator simulator = ExchangeSimulator.start(new SimulatorContext().capture(capture));
             JournalWriter writer = JournalWriter.start(new JournalContext().directory(journal)
                 .header(CaptureHeader.of("kraken-v1", "DisconnectReasonJournalTest")).failureListener(failure -> { })))
        {
            simulator.faults().disconnectAfterFrames(50);
            final JournalTapProtocol tap = new JournalTapProtocol(
                new KrakenV1Protocol(List.of(new InstrumentSpec("XMR/USD", -8, -8)), 1000, false, simulator.webSocketUri()), writer, 0);
            final FeedSession session = new FeedSession(tap, FeedSessionConfig.forVenue(tap)
                .withReadSilenceTimeoutNs(TimeUnit.MILLISECONDS.toNanos(SILENCE_MS))
                .withReconnect(new ReconnectPolicy(TimeUnit.MILLISECONDS.toNanos(20), TimeUnit.MILLISECONDS.toNanos(80), TimeUnit.SECONDS.toNanos(60))));
            try (Pipeline pipeline = Pipeline.builder("record").source(session).stage("books", OrderBookStage::new).build())
            {
                pipeline.start();
                final long deadlineNs = System.nanoTime() + TIMEOUT_NS;
                while (session.counters().get(SessionCounter.SILENCE_TIMEOUTS) == 0 && deadlineNs - System.nanoTime() > 0)
                {
                    Thread.sleep(20);
                }
                assertTrue(session.counters().get(SessionCounter.SILENCE_TIMEOUTS) > 0, () -> "no read timeout: " + session.counters());
            }
            assertTrue(writer.awaitDrained(TimeUnit.SECONDS.toNanos(30)));
        }

        final JournalInspection inspection = JournalInspector.inspect(journal, TimeUnit.SECONDS.toNanos(5));
        final List<String> disconnects = inspection.disconnects();
        assertTrue(disconnects.size() >= 2, disconnects::toString);
        assertTrue(disconnects.get(0).matches(".* conn 0 (closed by the venue with code 1006|connection lost) \\(\\w+Exception\\): .+"),
            disconnects.get(0));
        assertTrue(disconnects.get(1).endsWith(" conn 0 read timeout: nothing received for " + SILENCE_MS + " ms"), disconnects.get(1));
        assertEquals(disconnects.size(), disconnects.stream().filter(line -> !line.endsWith(" -")).count(), "no reason left unknown");
        assertTrue(inspection.lines().contains("  " + disconnects.get(1)), inspection.lines()::toString);
    }
}
