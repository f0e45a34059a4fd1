package io.loom.bench;

import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The entry point of {@code benchmarks.jar}: JMH's own command line, plus the JVM flags Loom needs
 * appended to every forked benchmark JVM.
 *
 * <pre>
 *   java -jar benchmarks.jar [JMH options] [regex...]
 *        │
 *        ├─ CommandLineOptions(args)   JMH's parser: regexes, -f -wi -i -w -r -p -prof -rf -rff ...
 *        ├─ loom-jvm.args (resource)   --add-opens/--add-exports/-D..., filtered from the parent pom
 *        └─ Runner(options + jvmArgsAppend(loom flags, then any -jvmArgsAppend given))
 *                 │
 *                 └──▶ forked JVMs get the flags; this JVM gets them from the jar's manifest
 * </pre>
 *
 * <p>The flags are defined once, in the parent pom ({@code loom.add-opens}, {@code loom.add-exports},
 * {@code loom.system-properties}); this class only reads the filtered resource, so a fork can never
 * miss a flag the fiber scheduler or the raw-continuation baseline needs.
 */
public final class BenchmarkMain
{
    /** The classpath resource holding the JVM flags, whitespace separated. */
    static final String JVM_ARGS_RESOURCE = "/loom-jvm.args";

    private BenchmarkMain()
    {
    }

    /**
     * Runs the benchmarks selected by {@code args}, exactly as JMH's own main would, with Loom's JVM
     * flags appended to every fork.
     *
     * @param args JMH command-line options and benchmark regexes.
     * @throws IOException if the help text cannot be written.
     */
    public static void main(final String[] args) throws IOException
    {
        final CommandLineOptions cli;
        try
        {
            cli = new CommandLineOptions(args);
        }
        catch (final CommandLineOptionException ex)
        {
            System.err.println("Error parsing command line:");
            System.err.println(" " + ex.getMessage());
            System.exit(1);
            return;
        }

        final Options options = new OptionsBuilder()
            .parent(cli)
            .jvmArgsAppend(forkJvmArgs(cli))
            .build();
        final Runner runner = new Runner(options);
        if (cli.shouldHelp())
        {
            cli.showHelp();
            return;
        }
        if (cli.shouldList())
        {
            runner.list();
            return;
        }
        if (cli.shouldListWithParams())
        {
            runner.listWithParams(cli);
            return;
        }
        if (cli.shouldListProfilers())
        {
            cli.listProfilers();
            return;
        }
        if (cli.shouldListResultFormats())
        {
            cli.listResultFormats();
            return;
        }
        try
        {
            runner.run();
        }
        catch (final NoBenchmarksException ex)
        {
            System.err.println("No matching benchmarks. Miss-spelled regexp? Use -l to list them.");
            System.exit(1);
        }
        catch (final RunnerException ex)
        {
            System.err.print("ERROR: ");
            ex.printStackTrace(System.err);
            System.exit(1);
        }
    }

    /** Loom's flags first, then whatever {@code -jvmArgsAppend} the command line added. */
    static String[] forkJvmArgs(final CommandLineOptions cli)
    {
        final List<String> args = new ArrayList<>(loomJvmArgs());
        if (cli.getJvmArgsAppend().hasValue())
        {
            args.addAll(cli.getJvmArgsAppend().get());
        }
        return args.toArray(new String[0]);
    }

    /**
     * The flags in {@value #JVM_ARGS_RESOURCE}.
     *
     * @throws IllegalStateException if the resource is missing or was not filtered by the build.
     */
    static List<String> loomJvmArgs()
    {
        final String text;
        try (InputStream in = BenchmarkMain.class.getResourceAsStream(JVM_ARGS_RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException("missing resource " + JVM_ARGS_RESOURCE + ": rebuild benchmarks.jar");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read " + JVM_ARGS_RESOURCE, ex);
        }
        if (text.contains("${"))
        {
            throw new IllegalStateException(JVM_ARGS_RESOURCE + " was not filtered by the build: " + text);
        }
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\\s+"));
    }
}
