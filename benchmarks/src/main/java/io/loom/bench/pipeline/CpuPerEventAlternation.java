package io.loom.bench.pipeline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@link CpuPerEventReport} for several sides (Loom or raw, from one jar or several) in
 * alternated short JVMs and reports each side's events per CPU second and the ratio of every side
 * to every side before it as a {@link PairedRatios}: the median of the per-round ratios with a
 * bootstrap interval, so a goal like 0.95x of raw is decided by the interval, not by one JVM.
 *
 * <pre>
 *   taskset -c 1 java @examples/target/classes/loom-jvm.args -cp benchmarks.jar io.loom.bench.pipeline.CpuPerEventAlternation \
 *       OneToOne burst 20 50 raw=/tmp/base12/benchmarks.jar,Raw,reactor main=/tmp/base12/benchmarks.jar,Loom,ring \
 *       new=benchmarks/target/benchmarks.jar,Loom,ring
 *   (topology, load, rounds, invocations per measurement, then sides: label=classpath,state,overflow-or-producer)
 * </pre>
 *
 * <p>A round runs one JVM per side, back to back, in the given order and the next round in the
 * reverse order (A B C, C B A, ...), so a load that rises or falls during a round favours no side.
 * Each child is this JVM's java with this JVM's options (the {@code --add-opens} flags, and the
 * core set it inherits from {@code taskset}), the SLEEPING wait strategy, and the side's class
 * path; a JVM's figure is the median of its three measured rounds. One JVM per side and round,
 * not sides alternated inside one JVM: in one JVM the Disruptor's processor loop would be compiled
 * for both sides' handlers, which is neither side's code. Each child's report lines are echoed
 * with the round and side, then the summary: per side the median events per CPU second and the
 * median CPU ns per event of each thread; per pair of sides their {@link PairedRatios}, of all threads
 * and of the consumers alone (the inverse of their CPU ns per event summed, which a change on the
 * stage side moves without the producer's noise) and of the producer alone (the reactor or
 * producer thread's, likewise for the publishing side).
 *
 * <p>Not thread-safe: a main.
 */
public final class CpuPerEventAlternation
{
    private static final Pattern PER_CPU_SECOND = Pattern.compile("= ([0-9.]+) M events per CPU second");
    private static final Pattern THREAD_NS = Pattern.compile(" (bench-[\\w-]+)=([0-9.]+)");

    private CpuPerEventAlternation()
    {
    }

    /**
     * @param args topology class prefix, load, rounds, invocations per measurement, then two or more
     *             sides as {@code label=classpath,state,overflow-or-producer}.
     * @throws Exception if a child cannot be run or reports no figure.
     */
    public static void main(final String[] args) throws Exception
    {
        if (args.length < 6)
        {
            throw new IllegalArgumentException("usage: <topology> <burst|saturated> <rounds> <invocations> label=classpath,state,variant ...");
        }
        final String topology = args[0];
        final String load = args[1];
        final int rounds = Integer.parseInt(args[2]);
        final String invocations = args[3];
        final List<String[]> sides = new ArrayList<>();
        for (int i = 4; i < args.length; i++)
        {
            final int equals = args[i].indexOf('=');
            final String[] parts = args[i].substring(equals + 1).split(",");
            if (equals <= 0 || parts.length != 3)
            {
                throw new IllegalArgumentException("side '" + args[i] + "': label=classpath,state,variant");
            }
            sides.add(new String[] {args[i].substring(0, equals), parts[0], parts[1], parts[2]});
        }
        final double[][] figures = new double[sides.size()][rounds];
        final double[][] consumers = new double[sides.size()][rounds];
        final double[][] producers = new double[sides.size()][rounds];
        final List<Map<String, List<Double>>> threadNs = new ArrayList<>();
        for (int s = 0; s < sides.size(); s++)
        {
            threadNs.add(new TreeMap<>());
        }
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < sides.size(); k++)
            {
                final int s = round % 2 == 0 ? k : sides.size() - 1 - k;
                final String[] side = sides.get(s);
                final List<String> lines = run(side, topology, load, invocations);
                final List<Double> perCpuSecond = new ArrayList<>();
                final List<Double> consumerNs = new ArrayList<>();
                final List<Double> producerNs = new ArrayList<>();
                for (final String line : lines)
                {
                    System.out.println("round " + round + " " + side[0] + ": " + line);
                    final Matcher figure = PER_CPU_SECOND.matcher(line);
                    if (figure.find())
                    {
                        perCpuSecond.add(Double.parseDouble(figure.group(1)));
                        final Matcher thread = THREAD_NS.matcher(line.substring(line.indexOf("CPU ns/event:"), line.indexOf("; all threads")));
                        double stageNs = 0;
                        double publishingNs = 0;
                        while (thread.find())
                        {
                            final double ns = Double.parseDouble(thread.group(2));
                            threadNs.get(s).computeIfAbsent(thread.group(1), key -> new ArrayList<>()).add(ns);
                            if (isProducer(thread.group(1)))
                            {
                                publishingNs += ns;
                            }
                            else
                            {
                                stageNs += ns;
                            }
                        }
                        consumerNs.add(stageNs);
                        producerNs.add(publishingNs);
                    }
                }
                if (perCpuSecond.isEmpty())
                {
                    throw new IllegalStateException("round " + round + " " + side[0] + " reported no events per CPU second");
                }
                figures[s][round] = PairedRatios.median(perCpuSecond.stream().mapToDouble(Double::doubleValue).toArray());
                consumers[s][round] = 1 / PairedRatios.median(consumerNs.stream().mapToDouble(Double::doubleValue).toArray());
                producers[s][round] = 1 / PairedRatios.median(producerNs.stream().mapToDouble(Double::doubleValue).toArray());
            }
            System.out.flush();
        }
        System.out.printf("%n%s %s, %d rounds of alternated JVMs, M events per CPU second (median of each JVM's rounds):%n", topology, load, rounds);
        for (int s = 0; s < sides.size(); s++)
        {
            final StringBuilder threads = new StringBuilder();
            for (final Map.Entry<String, List<Double>> thread : threadNs.get(s).entrySet())
            {
                threads.append(String.format(" %s=%.2f", thread.getKey(),
                    PairedRatios.median(thread.getValue().stream().mapToDouble(Double::doubleValue).toArray())));
            }
            System.out.printf("  %-8s median %.1f (%.1f-%.1f); CPU ns/event, medians:%s%n", sides.get(s)[0], PairedRatios.median(figures[s]),
                min(figures[s]), max(figures[s]), threads);
        }
        for (int s = 1; s < sides.size(); s++)
        {
            for (int r = 0; r < s; r++)
            {
                System.out.printf("  %s / %s: %s; consumers only: %s; producer only: %s%n", sides.get(s)[0], sides.get(r)[0],
                    PairedRatios.of(figures[s], figures[r]), PairedRatios.of(consumers[s], consumers[r]), PairedRatios.of(producers[s], producers[r]));
            }
        }
    }

    /** Runs one child JVM of {@link CpuPerEventReport} and returns its output lines. */
    private static List<String> run(final String[] side, final String topology, final String load, final String invocations)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", side[1], CpuPerEventReport.class.getName(), topology, side[2], load, invocations, "SLEEPING", side[3]));
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        final List<String> lines = new ArrayList<>();
        try (BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)))
        {
            for (String line = output.readLine(); line != null; line = output.readLine())
            {
                if (line.startsWith(topology))
                {
                    lines.add(line);
                }
            }
        }
        final int exit = child.waitFor();
        if (exit != 0)
        {
            throw new IllegalStateException(side[0] + " exited with " + exit + " after " + lines);
        }
        return lines;
    }

    /** @return whether the thread publishes (a reactor or a producer thread) rather than consumes. */
    private static boolean isProducer(final String thread)
    {
        return thread.contains("reactor") || thread.endsWith("producer");
    }

    private static double min(final double[] values)
    {
        double min = Double.MAX_VALUE;
        for (final double value : values)
        {
            min = Math.min(min, value);
        }
        return min;
    }

    private static double max(final double[] values)
    {
        double max = 0;
        for (final double value : values)
        {
            max = Math.max(max, value);
        }
        return max;
    }
}
