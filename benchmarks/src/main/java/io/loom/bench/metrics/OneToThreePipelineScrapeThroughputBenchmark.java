package io.loom.bench.metrics;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Events per second through a three-stage pipeline, with and without a scraper reading its metrics
 * at {@code -p scrapeIntervalUs} (0: no scraper; 1000: a scrape per millisecond, far more than any
 * Prometheus does). One operation is one event handled by the last stage.
 *
 * <pre>
 *   source fiber ─▶ ring ─▶ c1 ─▶ c2 ─▶ c3 (counts)
 *                            ▲     ▲     ▲
 *   scraper thread ── Pipeline.metrics() + each stage's latency Recorder copied ── MetricFamilies.render()
 * </pre>
 *
 * <p>{@code -prof gc}'s B/op is the whole JVM, the scraper included; the tear-down prints what the
 * pipeline's own threads (stages and reactor) allocated per event, which must stay 0.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OneToThreePipelineScrapeThroughputBenchmark
{
    /** Events per invocation. */
    public static final int BATCH = 1 << 14;

    /**
     * @param state the running pipeline and scraper.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void events(final Scraped state)
    {
        state.target += BATCH;
        state.pipeline.awaitConsumed(state.target);
    }

    /** The pipeline and, if asked, its scraper thread. */
    @State(Scope.Benchmark)
    public static class Scraped
    {
        private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

        /** Microseconds between scrapes; 0 for none. */
        @Param({"0", "1000"})
        public long scrapeIntervalUs;

        ScrapedPipeline pipeline;
        long target;
        private final AtomicLong scrapes = new AtomicLong();
        private volatile boolean scraping;
        private Thread scraper;
        private long pipelineBytesBefore;
        private long eventsBefore;

        /** Starts the pipeline and the scraper. */
        @Setup(Level.Trial)
        public void setUp()
        {
            pipeline = new ScrapedPipeline("scraped");
            target = pipeline.consumed.get();
            if (scrapeIntervalUs > 0)
            {
                scraping = true;
                scraper = new Thread(this::scrapeUntilStopped, "bench-scraper");
                scraper.start();
            }
        }

        /** Marks the start of an iteration, for its allocation report. */
        @Setup(Level.Iteration)
        public void markIteration()
        {
            pipelineBytesBefore = pipelineThreadBytes();
            eventsBefore = pipeline.consumed.get();
        }

        /** Prints the pipeline threads' allocation over the last iteration. */
        @TearDown(Level.Iteration)
        public void reportIteration()
        {
            final long events = pipeline.consumed.get() - eventsBefore;
            System.out.printf("%n  pipeline threads: %d B over %d events (%.4f B/event), scrapes so far %d%n",
                pipelineThreadBytes() - pipelineBytesBefore, events, (double)(pipelineThreadBytes() - pipelineBytesBefore) / events,
                scrapes.get());
        }

        /** Stops the scraper, then the pipeline. */
        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException
        {
            scraping = false;
            if (scraper != null)
            {
                scraper.join(10_000);
            }
            pipeline.close();
        }

        private void scrapeUntilStopped()
        {
            long length = 0;
            while (scraping)
            {
                length += pipeline.scrape().length();
                scrapes.incrementAndGet();
                java.util.concurrent.locks.LockSupport.parkNanos(scrapeIntervalUs * 1_000);
            }
            if (length == 0)
            {
                throw new IllegalStateException("scrapes were empty");
            }
        }

        private static long pipelineThreadBytes()
        {
            long bytes = 0;
            for (final Thread thread : Thread.getAllStackTraces().keySet())
            {
                if (thread.getName().startsWith("scraped-"))
                {
                    bytes += THREADS.getThreadAllocatedBytes(thread.threadId());
                }
            }
            return bytes;
        }
    }
}
