package io.loom.runtime.metrics;

import io.loom.api.pipeline.Pipeline;
import io.loom.api.pipeline.PipelineMetrics;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.loom.runtime.metrics.MetricsTestKit.liveThreads;
import static io.loom.runtime.metrics.MetricsTestKit.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The percentile files written when the export closes: one .hgrm per stage in HdrHistogram's
 * percentile-distribution format and one .hlog with every stage tagged. The source runs in lock-step
 * (the next event after the last stage handled the previous one), so each batch is one event and
 * each file's total count must equal the events the stage processed.
 */
class LatencyHistogramFilesTest
{
    private static final int EVENTS = 300;
    private static final Pattern TOTAL_COUNT = Pattern.compile("^#\\[Max +=  *[0-9.]+, Total count +=  *(\\d+)]$", Pattern.MULTILINE);

    @Test
    void shouldWriteOneHgrmPerStageAndAnHlogWhenThePipelineCloses(@TempDir final Path directory) throws Exception
    {
        final RoundSource source = new RoundSource(EVENTS, true);
        final Pipeline pipeline = Pipeline.builder("files").source(source).stage("books", () -> new CountingStage(null))
            .then("odd name/2", () -> new CountingStage(source)).build();
        final Path histograms = directory.resolve("histograms");
        final MetricsExport export = MetricsExport.start(pipeline, new MetricsConfig(MetricsConfig.LOOPBACK, MetricsConfig.NO_ENDPOINT, histograms));
        pipeline.start();
        until(() -> source.roundsDone() == 1, 60_000, "the lock-step round to be published and consumed");
        assertTrue(export.histogramFiles().isEmpty(), "nothing written before close");
        export.close();
        assertEquals(List.of(), liveThreads("files-"), "the export closed the pipeline first");
        final PipelineMetrics processed = pipeline.metrics();

        assertEquals(List.of(histograms.resolve("files-books.hgrm"), histograms.resolve("files-odd_name_2.hgrm"), histograms.resolve("files.hlog")),
            export.histogramFiles());
        for (final PipelineMetrics.Stage stage : processed.stages())
        {
            assertEquals(EVENTS, stage.events(), stage.name());
            final String hgrm = Files.readString(histograms.resolve("files-" + LatencyHistogramFiles.fileName(stage.name()) + ".hgrm"));
            assertTrue(hgrm.startsWith("       Value     Percentile TotalCount 1/(1-Percentile)\n\n"), hgrm);
            final Matcher total = TOTAL_COUNT.matcher(hgrm);
            assertTrue(total.find(), hgrm);
            assertEquals(stage.events(), Long.parseLong(total.group(1)), stage.name() + ": one sample per event in lock-step");
            assertTrue(hgrm.contains(" 1.000000000000 "), "the distribution runs to percentile 1.0: " + hgrm);
        }

        final List<EncodableHistogram> logged = new ArrayList<>();
        final HistogramLogReader reader = new HistogramLogReader(histograms.resolve("files.hlog").toFile());
        for (EncodableHistogram histogram = reader.nextIntervalHistogram(); histogram != null; histogram = reader.nextIntervalHistogram())
        {
            logged.add(histogram);
        }
        reader.close();
        assertEquals(List.of("books", "odd_name_2"), logged.stream().map(EncodableHistogram::getTag).toList());
        for (final EncodableHistogram histogram : logged)
        {
            assertEquals(EVENTS, ((org.HdrHistogram.Histogram)histogram).getTotalCount(), histogram.getTag());
        }
    }

    @Test
    void shouldWriteNothingWithoutADirectory()
    {
        final Pipeline pipeline = Pipeline.builder("nofiles").source(new RoundSource(1, false)).stage("books", () -> new CountingStage(null)).build();
        final MetricsExport export = MetricsExport.start(pipeline, MetricsConfig.NONE);
        pipeline.start();
        export.close();
        assertEquals(List.of(), export.histogramFiles());
        assertEquals(MetricsConfig.NO_ENDPOINT, export.port());
        assertEquals(List.of(), liveThreads("nofiles-"), "closing the export closed the pipeline");
    }
}
