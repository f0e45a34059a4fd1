package io.loom.connectors.record;

import io.loom.api.pipeline.Pipeline;
import io.loom.connectors.binance.BinanceMarket;
import io.loom.connectors.binance.BinanceProtocol;
import io.loom.connectors.kraken.KrakenV1Protocol;
import io.loom.connectors.replay.ReplaySource;
import io.loom.connectors.replay.ReplaySpeed;
import io.loom.connectors.session.FeedSession;
import io.loom.connectors.session.FeedSessionConfig;
import io.loom.connectors.session.InstrumentSpec;
import io.loom.connectors.session.SessionCounter;
import io.loom.connectors.session.VenueProtocol;
import io.loom.connectors.simulator.ExchangeSimulator;
import io.loom.connectors.simulator.SimulatorContext;
import io.loom.runtime.capture.TestCaptures;
import io.loom.runtime.book.BookChangeDigest;
import io.loom.runtime.book.OrderBookStage;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.capture.CaptureRecordKind;
import io.loom.runtime.journal.JournalContext;
import io.loom.runtime.journal.JournalWriter;
import io.loom.runtime.journal.RecordCursor;
import io.loom.runtime.net.TestCertificates;
import io.loom.runtime.net.tls.TlsContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import javax.net.ssl.KeyManagerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6's acceptance, for every bundled capture the simulator serves: a session recorded live
 * from the simulator (serving the capture over wss:// with its recorded REST snapshots) gives the
 * same order-book digest as a replay of its journal (at max and at x10 of the recorded pace) and
 * as {@code loom replay} of the original capture.
 *
 * <pre>
 *   capture ─▶ ExchangeSimulator ─wss─▶ FeedSession ─▶ JournalTapFeed ─▶ journal ─▶ ReplaySource ─▶ books ─▶ digest(journal)
 *      │                                                      └──▶ ring ─▶ books ─▶ digest(live)
 *      └──────────────────────────────────────────────────────────────────▶ ReplaySource ─▶ books ─▶ digest(capture)
 * </pre>
 *
 * On a mismatch the message names, per instrument, the first book event where the runs differ.
 */
class LiveRecordingMatchesCaptureAcceptanceTest
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(180);
    private static final long QUIET_NS = TimeUnit.MILLISECONDS.toNanos(500);

    /** The bundled captures, with the live protocol that subscribes to what each recorded. */
    enum Case
    {
        BINANCE_SPOT_ETHUSDT("binance-spot/ethusdt_depth100ms-trade-bookticker_2024-08-08.capture.gz", (ws, rest) ->
            new BinanceProtocol(BinanceMarket.SPOT, List.of(new InstrumentSpec("ETHUSDT", -8, -8)),
                List.of("depth@100ms", "trade", "bookTicker"), 1000, ws, rest)),
        BINANCE_SPOT_4SYMBOLS("binance-spot/4symbols_depth100ms-bookticker-aggtrade-kline_2021-10-12.capture.gz", (ws, rest) ->
            new BinanceProtocol(BinanceMarket.SPOT, List.of(new InstrumentSpec("NKNUSDT", -8, -8), new InstrumentSpec("BLZETH", -8, -8),
                new InstrumentSpec("LRCBTC", -8, -8), new InstrumentSpec("RUNEEUR", -8, -8)),
                List.of("depth@100ms", "bookTicker", "aggTrade", "kline_1m"), 1000, ws, rest)),
        BINANCE_USDM_ETHUSDT("binance-usdm/ethusdt_depth0ms-trade-bookticker_2024-08-08.capture.gz", (ws, rest) ->
            new BinanceProtocol(BinanceMarket.USD_M, List.of(new InstrumentSpec("ETHUSDT", -8, -8)),
                List.of("depth@0ms", "trade", "bookTicker"), 1000, ws, rest)),
        KRAKEN_V1_BOOK("kraken-v1/10pairs_book1000_2021-04-17.capture.gz", (ws, rest) ->
            new KrakenV1Protocol(List.of("WAVES/EUR", "XMR/USD", "KSM/XBT", "GRT/ETH", "SC/EUR", "ETH/CHF", "OCEAN/XBT", "OMG/USD", "XBT/CHF",
                "ADA/XBT").stream().map(pair -> new InstrumentSpec(pair, -10, -10)).toList(), 1000, false, ws));

        private final String capture;
        private final BiFunction<URI, URI, VenueProtocol> protocol;

        Case(final String capture, final BiFunction<URI, URI, VenueProtocol> protocol)
        {
            this.capture = capture;
            this.protocol = protocol;
        }
    }

    /** What one run ended with. */
    private record Run(long digest, BookEventLog log)
    {
    }

    @TempDir
    Path directory;

    @ParameterizedTest
    @EnumSource(Case.class)
    void shouldGiveTheSameDigestLiveFromTheJournalAndFromTheOriginalCapture(final Case scenario) throws Exception
    {
        final Path capture = TestCaptures.path(scenario.capture);
        final Path journal = directory.resolve("journal");
        final Run live = recordLive(Capture.load(capture), scenario, journal);
        final Run fromJournal = replay(journal, ReplaySpeed.MAX);
        final Run fromJournalAtTen = replay(journal, ReplaySpeed.times(10));
        final Run fromCapture = replay(capture, ReplaySpeed.MAX);

        assertNotEquals(BookChangeDigest.SEED, live.digest(), "the books changed");
        assertEquals(BookChangeDigest.hex(live.digest()), BookChangeDigest.hex(fromJournal.digest()),
            () -> "live vs journal replayed:\n" + live.log().firstDifferences(fromJournal.log()));
        assertEquals(BookChangeDigest.hex(fromJournal.digest()), BookChangeDigest.hex(fromJournalAtTen.digest()), "journal at max vs at x10");
        assertEquals(BookChangeDigest.hex(fromCapture.digest()), BookChangeDigest.hex(live.digest()),
            () -> "original capture replayed vs live:\n" + fromCapture.log().firstDifferences(live.log()));
    }

    private static Run recordLive(final Capture capture, final Case scenario, final Path journal) throws Exception
    {
        try (ExchangeSimulator simulator = ExchangeSimulator.start(new SimulatorContext().capture(capture).tls(keys()).recordedSnapshots(true));
             // a buffer larger than any bundled capture: this test is about what the journal holds, not
             // whether its thread keeps up with a flat-out stream on a loaded 2-core machine
             JournalWriter writer = JournalWriter.start(new JournalContext().directory(journal).bufferBytes(64 << 20)
                 .header(CaptureHeader.of(capture.header().venue(), "LiveRecordingMatchesCaptureAcceptanceTest " + simulator.webSocketUri()))
                 .failureListener(failure -> { })))
        {
            final VenueProtocol venue = scenario.protocol.apply(simulator.webSocketUri(), simulator.restBaseUri());
            final JournalTapProtocol tap = new JournalTapProtocol(venue, writer, 0);
            final FeedSession session = new FeedSession(tap,
                FeedSessionConfig.forVenue(tap).withTls(new TlsContext().trustCertificates(TestCertificates.get().caCertificate())));
            final OrderBookStage books = new OrderBookStage();
            final BookEventLog log = new BookEventLog();
            try (Pipeline pipeline = Pipeline.builder("record").source(session).stage("books", () -> books).stage("log", () -> log).build())
            {
                pipeline.start();
                awaitEndOfStream(simulator, session, streamedFrames(capture));
            }
            assertTrue(writer.awaitDrained(TimeUnit.SECONDS.toNanos(30)));
            assertNull(writer.failure());
            assertEquals(0, writer.refused());
            assertEquals(1, session.counters().get(SessionCounter.CONNECTS), () -> "one connection: " + session.counters());
            return new Run(books.view().digest(), log);
        }
    }

    private static Run replay(final Path input, final ReplaySpeed speed) throws Exception
    {
        final ReplaySource replay = new ReplaySource("replay", input, speed, RecordCursor.NO_BOUND_FROM, RecordCursor.NO_BOUND_TO);
        final OrderBookStage books = new OrderBookStage();
        final BookEventLog log = new BookEventLog();
        try (Pipeline pipeline = Pipeline.builder("replay").clock(replay.clock()).source(replay).stage("books", () -> books)
            .stage("log", () -> log).build())
        {
            pipeline.start();
            assertTrue(replay.awaitFinished(120, TimeUnit.SECONDS));
        }
        assertNull(replay.failure());
        assertTrue(replay.completed());
        return new Run(books.view().digest(), log);
    }

    /** Waits until the simulator streamed every frame and the session has received nothing new for a while. */
    private static void awaitEndOfStream(final ExchangeSimulator simulator, final FeedSession session, final int frames)
        throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TIMEOUT_NS;
        long lastReceived = -1;
        long lastChangeNs = System.nanoTime();
        while (deadlineNs - System.nanoTime() > 0)
        {
            final long received = session.counters().get(SessionCounter.MESSAGES_RECEIVED) +
                session.counters().get(SessionCounter.SNAPSHOTS_DELIVERED);
            if (received != lastReceived)
            {
                lastReceived = received;
                lastChangeNs = System.nanoTime();
            }
            else if (simulator.counters().framesStreamed() == frames && System.nanoTime() - lastChangeNs > QUIET_NS)
            {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the stream did not end: streamed " + simulator.counters().framesStreamed() + " of " + frames +
            ", session " + session.counters() + ", feed " + session.feed().counters());
    }

    private static int streamedFrames(final Capture capture)
    {
        int frames = 0;
        for (int i = 0; i < capture.size(); i++)
        {
            frames += capture.kind(i) == CaptureRecordKind.WS && capture.conn(i) == 0 ? 1 : 0;
        }
        return frames;
    }

    private static KeyManagerFactory keys() throws Exception
    {
        final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(TestCertificates.get().localhost().keyStore(), TestCertificates.PASSWORD);
        return keys;
    }
}
