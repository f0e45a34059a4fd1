package io.loom.connectors.simulator;

import io.loom.runtime.BoundedWait;
import io.loom.runtime.capture.TestCaptures;
import io.loom.runtime.capture.Capture;
import io.loom.runtime.capture.CaptureHeader;
import io.loom.runtime.capture.CaptureRecordKind;
import io.loom.runtime.capture.CaptureWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every injectable fault is observable by a client and counted; pacing; close leaves no threads. */
class ExchangeSimulatorFaultsTest
{
    private static final String KRAKEN_TRADE = "kraken-v1/10pairs_trade_2021-04-17.capture.gz";

    private static Capture spot;
    private static List<String> recorded;

    @BeforeAll
    static void load() throws Exception
    {
        spot = Capture.load(TestCaptures.path(ExchangeSimulatorBinanceTest.SPOT));
        recorded = ExchangeSimulatorBinanceTest.recordedFrames(spot);
    }

    @Test
    void shouldDropNextMatchingFrames() throws Exception
    {
        try (ExchangeSimulator exchange = ExchangeSimulator.start(new SimulatorContext().capture(spot));
             SimulatorClient client = SimulatorClient.plain())
        {
            exchange.faults().dropFrames(3, text -> text.contains("\"e\":\"depthUpdate\""));
            client.connect(exchange.webSocketUri().resolve(ExchangeSimulatorBinanceTest.STREAMS));

            final List<String> expected = new ArrayList<>(recorded);
            int removed = 0;
            for (int i = 0; removed < 3; i++)
            {
                if (expected.get(i).contains("\"e\":\"depthUpdate\""))
                {
                    expected.remove(i--);
                    removed++;
                }
            }
            assertEquals(expected, client.texts(expected.size()));
            assertEquals(null, client.poll(100));
            assertEquals(3, exchange.counters().framesDropped());
            assertEquals(recorded.size(), exchange.counters().framesStreamed());
        }
    }

    @Test
    void shouldDuplicateAndCorruptNextFrames() throws Exception
    {
        try (ExchangeSimulator exchange = ExchangeSimulator.start(new SimulatorContext().capture(spot));
             SimulatorClient client = SimulatorClient.plain())
        {
            exchange.faults().duplicateNextFrame();
            client.connect(exchange.webSocketUri().resolve(ExchangeSimulatorBinanceTest.STREAMS));
            final List<String> received = client.texts(recorded.size() + 1);
            assertEquals(recorded.get(0), received.get(0));
            assertEquals(recorded.get(0), received.get(1));
            assertEquals(recorded.subList(1, recorded.size()), received.subList(2, received.size()));
            assertEquals(1, exchange.counters().framesDuplicated());
        }
        try (ExchangeSimulator exchange = ExchangeSimulator.start(new SimulatorContext().capture(spot));
             SimulatorClient client = SimulatorClient.plain())
        {
            exchange.faults().corruptNextFrame();
            client.connect(exchange.webSocketUri().resolve(ExchangeSimulatorBinanceTest.STREAMS));
            final List<String> received = client.texts(recorded.size());
            assertEquals(recorded.get(0).substring(0, recorded.get(0).length() / 2), received.get(0), "ASCII frame cut in half");
            assertEquals(recorded.subList(1, recorded.size()), received.subList(1, received.size()));
            assertEquals(1, exchange.counters().framesCorrupted());
        }
    }

    @Test
    void shouldDisconnectAfterFramesAndContinueTheSessionOnReconnect() throws Exception
    {
        try (ExchangeSimulator exchange = ExchangeSimulator.start(new SimulatorContext().capture(spot)))
        {
            exchange.faults().disconnectAfterFrames(40);
            try (RawWebSocketClient first = RawWebSocketClient.connect(exchange.webSocketUri().resolve(ExchangeSimulatorBinanceTest.STREAMS)))
            {
                // a raw socket reads every frame written before the abrupt end, then the end itself
                assertEquals(recorded.subList(0, 40), first.textsUntilEnd());
            }
            assertEquals(40, exchange.counters().framesSent(0));
            assertEquals(1, exchange.counters().disconnects());

            try (SimulatorClient second = SimulatorClient.plain().connect(exchange.webSocketUri().resolve(ExchangeSimulatorBinanceTest.STREAMS)))
            {
                assertEquals(recorded.subList(40, recorded.size()), second.texts(recorded.size() - 40));
                assertEquals(2, exchange.counters().connections());
                assertEquals(recorded.size() - 40, exchange.counters().framesSent(1));
            }
        }
    }

    @Test
    void shouldHoldFramesBackWhilePaused() throws Exception
    {
        try (ExchangeSimulator exchange = ExchangeSimulator.start(new SimulatorContext().capture(spot));
             SimulatorClient client = SimulatorClient.plain())
        {
            exchange.faults().pause(Duration.ofMillis(600));
            final long startNs = System.nanoTime();
            client.connect(exchange.webSocketUri().resolve(ExchangeSimulatorBinanceTest.STREAMS));

            final SimulatorClient.Message firstFrame = client.next(SimulatorClient.TIMEOUT_MS);
            assertTrue(firstFrame.arrivedNs() - startNs >= TimeUnit.MILLISECONDS.toNanos(550),
                "first frame after " + TimeUnit.NANOSECONDS.toMillis(firstFrame.arrivedNs() - startNs) + " ms");
            assertEquals(recorded.get(0), firstFrame.text());
            assertEquals(1, exchange.counters().pauses());
        }
    }

    @Test
    void shouldStopAndResumeReadingFromClients() throws Exception
    {
        try (ExchangeSimulator exchange = ExchangeSimulator.start(new SimulatorContext().capture(spot));
             SimulatorClient client = SimulatorClient.plain().connect(exchange.webSocketUri().resolve(ExchangeSimulatorBinanceTest.STREAMS)))
        {
            client.ping();
            assertTrue(awaitPongs(client, 1, SimulatorClient.TIMEOUT_MS), "pings are answered");

            exchange.faults().stopReading();
            awaitCounter(() -> exchange.counters().readStops() == 1);
            client.ping();
            Thread.sleep(300);
            assertEquals(1, client.pongs(), "no pong while the server does not read");

            exchange.faults().resumeReading();
            assertTrue(awaitPongs(client, 2, SimulatorClient.TIMEOUT_MS), "the pending ping is answered after reading resumes");
        }
    }

    @Test
    void shouldRejectNextRestRequestWithRetryAfter() throws Exception
    {
        try (ExchangeSimulator exchange = ExchangeSimulator.start(new SimulatorContext().capture(spot));
             SimulatorClient client = SimulatorClient.plain())
        {
            final URI depth = exchange.restBaseUri().resolve("/api/v3/depth?symbol=NKNUSDT&limit=5");
            exchange.faults().rejectNextRest(429, 7);
            final HttpResponse<String> tooMany = client.get(depth);
            assertEquals(429, tooMany.statusCode());
            assertEquals("7", tooMany.headers().firstValue("Retry-After").orElseThrow());

            exchange.faults().rejectNextRest(418, 120);
            final HttpResponse<String> banned = client.get(depth);
            assertEquals(418, banned.statusCode());
            assertEquals("120", banned.headers().firstValue("Retry-After").orElseThrow());

            assertEquals(200, client.get(depth).statusCode());
            assertEquals(3, exchange.counters().restRequests());
            assertEquals(2, exchange.counters().restRejected());
        }
    }

    @Test
    void shouldPaceFramesAtRecordedTimeTimesSpeed() throws Exception
    {
        final double speed = 20;
        final Capture trades = Capture.load(TestCaptures.path(KRAKEN_TRADE));
        final List<String> frames = ExchangeSimulatorBinanceTest.recordedFrames(trades);
        try (ExchangeSimulator exchange = ExchangeSimulator.start(new SimulatorContext().capture(trades).speed(speed));
             SimulatorClient client = SimulatorClient.plain().connect(exchange.webSocketUri()))
        {
            client.send("{\"event\":\"subscribe\",\"pair\":[\"WAVES/EUR\",\"XMR/USD\",\"KSM/XBT\",\"GRT/ETH\",\"SC/EUR\",\"ETH/CHF\","
                + "\"OCEAN/XBT\",\"OMG/USD\",\"XBT/CHF\",\"ADA/XBT\"],\"subscription\":{\"name\":\"trade\"}}");
            final SimulatorClient.Message first = client.next(SimulatorClient.TIMEOUT_MS);
            SimulatorClient.Message last = first;
            for (int i = 1; i < frames.size(); i++)
            {
                last = client.next(SimulatorClient.TIMEOUT_MS);
            }
            assertEquals(frames.get(frames.size() - 1), last.text());

            final long recordedSpanNs = trades.recvNs(trades.size() - 1) - firstFrameRecvNs(trades);
            final long expectedMs = TimeUnit.NANOSECONDS.toMillis((long)(recordedSpanNs / speed));
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(last.arrivedNs() - first.arrivedNs());
            // never faster than recorded time / speed; later only by what a loaded machine's scheduling adds
            assertTrue(elapsedMs >= expectedMs * 9 / 10 && elapsedMs <= expectedMs * 2 + 2000,
                "paced span " + elapsedMs + " ms, recorded / speed " + expectedMs + " ms");
        }
    }

    @Test
    void shouldLeaveNoThreadsAfterClose() throws Exception
    {
        final ExchangeSimulator exchange = ExchangeSimulator.start(new SimulatorContext().capture(spot));
        // the end of the connection seen by a raw socket, not through a client library's event delivery
        try (RawWebSocketClient client = RawWebSocketClient.connect(exchange.webSocketUri()))
        {
            assertTrue(simulatorThreads() > 0);
            exchange.close();
            assertEquals(List.of(), client.textsUntilEnd(), "nothing streamed without a subscription, then the connection closed");
        }
        awaitNoSimulatorThreads();
    }

    @Test
    void shouldRefuseUnsupportedVenueAndInvalidConfiguration(@TempDir final Path directory) throws Exception
    {
        final Path bitmex = directory.resolve("bitmex.capture");
        try (CaptureWriter writer = CaptureWriter.create(bitmex, CaptureHeader.of("bitmex", "test")))
        {
            writer.write(1, 0, CaptureRecordKind.WS, "{}");
        }
        final SimulatorContext unsupported = new SimulatorContext().capture(Capture.load(bitmex));
        assertTrue(assertThrows(IllegalStateException.class, () -> ExchangeSimulator.start(unsupported)).getMessage().contains("bitmex"));
        assertTrue(assertThrows(IllegalStateException.class, () -> new SimulatorContext().conclude()).getMessage().contains("no capture"));
        assertThrows(IllegalStateException.class, () -> new SimulatorContext().capture(spot).speed(-1).conclude());
        awaitNoSimulatorThreads();
    }

    private static long firstFrameRecvNs(final Capture capture)
    {
        for (int i = 0; i < capture.size(); i++)
        {
            if (capture.kind(i) == CaptureRecordKind.WS)
            {
                return capture.recvNs(i);
            }
        }
        throw new AssertionError("no frames");
    }

    /** Netty completes an event loop's termination from inside its thread, which then still has to exit. */
    private static void awaitNoSimulatorThreads()
    {
        BoundedWait.until(() -> simulatorThreads() == 0, 5_000, "no simulator thread left");
    }

    private static long simulatorThreads()
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.isAlive() && thread.getName().startsWith("loom-simulator-"))
            .count();
    }

    private static boolean awaitPongs(final SimulatorClient client, final int pongs, final long timeoutMs) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (client.pongs() < pongs)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private static void awaitCounter(final BooleanSupplier condition) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SimulatorClient.TIMEOUT_MS);
        while (!condition.getAsBoolean())
        {
            assertFalse(System.nanoTime() - deadlineNs > 0, "condition not met within " + SimulatorClient.TIMEOUT_MS + " ms");
            Thread.sleep(10);
        }
    }
}
