package io.loom.runtime.metrics;

import io.loom.api.pipeline.Pipeline;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.loom.runtime.metrics.MetricsTestKit.get;
import static io.loom.runtime.metrics.MetricsTestKit.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scraping adds no allocation to the pipeline's threads: while a client scrapes {@code /metrics} in
 * a loop (each scrape copies every stage's latency histogram out of its recorder), the stage thread
 * and the reactor allocate less than 0.1 B per event, measured with their allocation counters after
 * three warm-up rounds and a warm-up scrape, over as many rounds as it takes (at most 60 s) for at
 * least three scrapes to complete. The scrape thread allocates; that is its job.
 */
class MetricsScrapeAllocationTest
{
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private static final int EVENTS_PER_ROUND = 100_000;
    private static final int WARM_UP_ROUNDS = 3;
    private static final int MIN_SCRAPES = 3;
    private static final long MAX_MEASURED_NS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    private static final double MAX_BYTES_PER_EVENT = 0.1;

    @Test
    void shouldNotAllocateOnTheStageThreadOrTheReactorWhileScraped() throws Exception
    {
        final RoundSource source = new RoundSource(EVENTS_PER_ROUND, false);
        final CountingStage sink = new CountingStage(null);
        final Pipeline pipeline = Pipeline.builder("alloc-scrape").ringSize(1 << 16).source(source).stage("sink", () -> sink).build();
        final AtomicBoolean scraping = new AtomicBoolean(true);
        final AtomicLong scrapes = new AtomicLong();
        final AtomicReference<Throwable> scrapeFailure = new AtomicReference<>();
        try (HttpClient client = HttpClient.newHttpClient();
            MetricsExport export = MetricsExport.start(pipeline, new MetricsConfig(MetricsConfig.LOOPBACK, 0, null)))
        {
            pipeline.start();
            for (int round = 1; round <= WARM_UP_ROUNDS; round++)
            {
                awaitRound(source, sink, round);
                if (round < WARM_UP_ROUNDS)
                {
                    source.releaseRound();
                }
            }
            assertEquals(200, get(client, export.port(), MetricsHttpServer.PATH).statusCode(), "a warm-up scrape");
            final Thread scraper = new Thread(() -> scrapeUntilStopped(client, export.port(), scraping, scrapes, scrapeFailure), "alloc-scraper");
            scraper.start();
            final long stageId = thread("alloc-scrape-sink").threadId();
            final long reactorId = thread("alloc-scrape-reactor").threadId();
            final long eventsBefore = sink.events.get();
            final long scrapesBefore = scrapes.get();
            final long stageBefore = THREADS.getThreadAllocatedBytes(stageId);
            final long reactorBefore = THREADS.getThreadAllocatedBytes(reactorId);
            final long startNs = System.nanoTime();
            int round = WARM_UP_ROUNDS;
            while (round == WARM_UP_ROUNDS || scrapes.get() - scrapesBefore < MIN_SCRAPES && System.nanoTime() - startNs < MAX_MEASURED_NS)
            {
                source.releaseRound();
                awaitRound(source, sink, ++round);
            }
            final long stageBytes = THREADS.getThreadAllocatedBytes(stageId) - stageBefore;
            final long reactorBytes = THREADS.getThreadAllocatedBytes(reactorId) - reactorBefore;
            final long scrapesDuring = scrapes.get() - scrapesBefore;
            final long events = sink.events.get() - eventsBefore;
            scraping.set(false);
            scraper.join(10_000);
            assertNull(scrapeFailure.get(), "scrapes failed");
            assertTrue(scrapesDuring >= MIN_SCRAPES, "only " + scrapesDuring + " scrapes during " + events + " events");
            System.out.printf("alloc-scrape: stage %d B, reactor %d B over %d events and %d scrapes%n", stageBytes, reactorBytes, events,
                scrapesDuring);
            assertTrue((double)stageBytes / events < MAX_BYTES_PER_EVENT, "the stage thread allocated " + stageBytes + " B over " + events +
                " events while scraped " + scrapesDuring + " times");
            assertTrue((double)reactorBytes / events < MAX_BYTES_PER_EVENT, "the reactor allocated " + reactorBytes + " B over " + events +
                " events while scraped " + scrapesDuring + " times");
        }
        assertEquals(0, MetricsTestKit.liveThreads("alloc-scraper").size());
    }

    private static void awaitRound(final RoundSource source, final CountingStage sink, final int round)
    {
        until(() -> source.roundsDone() >= round && sink.events.get() == (long)round * EVENTS_PER_ROUND, 60_000,
            "round " + round + " to be consumed");
    }

    private static void scrapeUntilStopped(final HttpClient client, final int port, final AtomicBoolean scraping, final AtomicLong scrapes,
        final AtomicReference<Throwable> failure)
    {
        try
        {
            while (scraping.get())
            {
                if (get(client, port, MetricsHttpServer.PATH).statusCode() != 200)
                {
                    throw new AssertionError("a scrape was not answered 200");
                }
                scrapes.incrementAndGet();
                Thread.sleep(1);
            }
        }
        catch (final Exception | AssertionError ex)
        {
            failure.set(ex);
        }
    }

    private static Thread thread(final String name)
    {
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().equals(name))
            {
                return thread;
            }
        }
        throw new AssertionError("no thread named " + name);
    }
}
