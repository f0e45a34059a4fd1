package io.loom.bench.metrics;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What one scrape costs the scrape thread, on a running three-stage pipeline: {@code scrape} is the
 * whole text (snapshot, three latency histograms copied, summaries, render), {@code snapshot} only
 * {@code Pipeline.metrics()}, for the ratio. Microseconds per scrape; {@code -prof gc} B/op is what
 * a scrape allocates (on the scrape thread; the pipeline keeps running meanwhile).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PipelineScrapeLatency
{
    /**
     * @param state the running pipeline.
     * @return the text, so that it is not optimised away.
     */
    @Benchmark
    public String scrape(final Running state)
    {
        return state.pipeline.scrape();
    }

    /**
     * @param state the running pipeline.
     * @return the snapshot.
     */
    @Benchmark
    public Object snapshot(final Running state)
    {
        return state.pipeline.pipeline.metrics();
    }

    /** The running pipeline. */
    @State(Scope.Benchmark)
    public static class Running
    {
        ScrapedPipeline pipeline;

        /** Starts it. */
        @Setup(Level.Trial)
        public void setUp()
        {
            pipeline = new ScrapedPipeline("scrape-latency");
        }

        /** Closes it. */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            pipeline.close();
        }
    }
}
