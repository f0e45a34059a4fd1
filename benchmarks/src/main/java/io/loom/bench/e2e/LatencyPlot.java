package io.loom.bench.e2e;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.io.IOException;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.nio.file.Path;
import java.util.List;

/**
 * Draws the latency-percentile plot (JFreeChart, headless): x = percentile on a log axis of
 * 1 / (1 - p) (so 50%, 90%, 99%, 99.9%, … are evenly spaced), y = latency in µs (log), one line
 * per system and rate.
 *
 * <p>Thread-safety: stateless.
 */
public final class LatencyPlot
{
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 700;
    private static final int TICKS_PER_HALF_DISTANCE = 5;

    private LatencyPlot()
    {
    }

    /**
     * Writes the plot as a PNG.
     *
     * @param results the runs to draw (those without samples are skipped).
     * @param title   the chart's title.
     * @param png     the file to write.
     * @throws IOException if it cannot be written.
     */
    public static void write(final List<RunResult> results, final String title, final Path png) throws IOException
    {
        final XYSeriesCollection lines = new XYSeriesCollection();
        for (final RunResult result : results)
        {
            if (result.latencyNs().getTotalCount() > 0)
            {
                lines.addSeries(series(result.system() + " @ " + result.rateLabel(), result.latencyNs()));
            }
        }
        final LogAxis percentile = decades(new LogAxis("percentile, as 1 / (1 - p): 10 = 90%, 100 = 99%, 1000 = 99.9%, 10000 = 99.99%"));
        percentile.setSmallestValue(1);
        final LogAxis latency = decades(new LogAxis("latency (µs)"));
        latency.setSmallestValue(0.1);
        final XYPlot plot = new XYPlot(lines, percentile, latency, new XYLineAndShapeRenderer(true, false));
        final JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }

    /** One tick per power of ten, written as a plain number. */
    private static LogAxis decades(final LogAxis axis)
    {
        axis.setTickUnit(new NumberTickUnit(1.0));
        axis.setNumberFormatOverride(new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        return axis;
    }

    private static XYSeries series(final String name, final Histogram histogram)
    {
        final XYSeries series = new XYSeries(name, false, true);
        for (final HistogramIterationValue value : histogram.percentiles(TICKS_PER_HALF_DISTANCE))
        {
            final double p = value.getPercentileLevelIteratedTo() / 100.0;
            if (p < 1.0 && value.getValueIteratedTo() > 0)
            {
                series.add(1.0 / (1.0 - p), value.getValueIteratedTo() / 1e3);
            }
        }
        return series;
    }
}
