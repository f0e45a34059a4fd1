package io.loom.runtime.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a pipeline's stage latency histograms as HdrHistogram files, for plotting and comparing runs:
 *
 * <pre>
 *   DIR/&lt;pipeline&gt;-&lt;stage&gt;.hgrm   one per stage: Histogram.outputPercentileDistribution, values in microseconds
 *   DIR/&lt;pipeline&gt;.hlog           every stage's histogram, tagged with the stage's file name (HistogramLogWriter,
 *                                 values in nanoseconds), one interval from start to end
 * </pre>
 *
 * <p>The samples are those of {@link io.loom.runtime.pipeline.StageLatencyHistograms}: one per batch, so a
 * file's "Total count" is the number of latency samples (batches whose events carried a receive time), not
 * the number of events. Characters other than letters, digits, {@code .}, {@code _} and {@code -} in names
 * become {@code _} in file names.
 *
 * <p>Thread-safety: stateless; call from any thread.
 */
public final class LatencyHistogramFiles
{
    /** The .hgrm files' values are in microseconds: nanoseconds divided by this. */
    public static final double HGRM_VALUE_UNIT_RATIO = 1_000.0;
    private static final int PERCENTILE_TICKS_PER_HALF_DISTANCE = 5;

    private LatencyHistogramFiles()
    {
    }

    /**
     * Writes the files, creating {@code directory} if needed and replacing files of the same names.
     *
     * @param directory   where.
     * @param pipeline    the pipeline's name, the files' prefix.
     * @param latencies   stage name to its histogram in nanoseconds, in topology order.
     * @param startEpochMs when the samples began (the .hlog's start time).
     * @param endEpochMs  when they ended.
     * @return the files written: the .hgrm files in the map's order, then the .hlog.
     * @throws IOException if the directory or a file cannot be written.
     */
    public static List<Path> write(
        final Path directory, final String pipeline, final Map<String, Histogram> latencies, final long startEpochMs, final long endEpochMs)
        throws IOException
    {
        Files.createDirectories(directory);
        final List<Path> written = new ArrayList<>();
        for (final Map.Entry<String, Histogram> stage : latencies.entrySet())
        {
            final Path file = directory.resolve(fileName(pipeline) + "-" + fileName(stage.getKey()) + ".hgrm");
            try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8))
            {
                stage.getValue().outputPercentileDistribution(out, PERCENTILE_TICKS_PER_HALF_DISTANCE, HGRM_VALUE_UNIT_RATIO);
                checkWritten(out, file);
            }
            written.add(file);
        }
        final Path log = directory.resolve(fileName(pipeline) + ".hlog");
        try (PrintStream out = new PrintStream(Files.newOutputStream(log), false, StandardCharsets.UTF_8))
        {
            final HistogramLogWriter writer = new HistogramLogWriter(out);
            writer.outputComment("Loom pipeline '" + pipeline + "': receive-to-stage latency in ns, one sample per batch, tag = stage");
            writer.outputLogFormatVersion();
            writer.outputStartTime(startEpochMs);
            writer.setBaseTime(startEpochMs);
            writer.outputLegend();
            for (final Map.Entry<String, Histogram> stage : latencies.entrySet())
            {
                final Histogram histogram = stage.getValue().copy();
                histogram.setTag(fileName(stage.getKey())); // a tag may hold no space, comma or line break
                histogram.setStartTimeStamp(startEpochMs);
                histogram.setEndTimeStamp(Math.max(startEpochMs, endEpochMs));
                writer.outputIntervalHistogram(histogram);
            }
            checkWritten(out, log);
        }
        written.add(log);
        return written;
    }

    /**
     * @param name a pipeline or stage name.
     * @return it with every character but letters, digits, '.', '_' and '-' replaced by '_'.
     */
    static String fileName(final String name)
    {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static void checkWritten(final PrintStream out, final Path file) throws IOException
    {
        if (out.checkError())
        {
            throw new IOException(file + ": could not be written");
        }
    }
}
