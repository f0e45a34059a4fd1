package io.loom.bench.ws;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs a benchmark's server in a child JVM (the same {@code java} binary and class path as this
 * one) and stops it: a fixture kept out of the measured JVM, so that its CPU time, allocation and
 * garbage collection are not counted against the client under test.
 *
 * <pre>
 *   benchmark JVM                                   child JVM (main class, args)
 *   start() ── java -cp &lt;same&gt; Main args ───────▶ listens on loopback, prints "port N"
 *           ◀── reads "port N" (2 min at most) ────
 *   ask("x") ── "x\n" on its stdin ──────────────▶ answers one line on stdout (5 s at most)
 *   close() ── closes its stdin, destroys it ────▶ exits (also when this JVM dies: stdin ends)
 * </pre>
 *
 * <p>The child's contract: print {@link #PORT_LINE}{@code <port>} on standard output once it
 * listens, answer each line it reads on standard input with one line if it takes commands, and
 * exit when standard input ends. Its standard error goes to this JVM's.
 *
 * <p>Thread-safety: started, asked and closed by one thread; a daemon thread reads the child's output.
 */
public final class ServerProcess implements AutoCloseable
{
    /** The line prefix announcing the listening port on standard output. */
    public static final String PORT_LINE = "port ";

    private static final long START_TIMEOUT_MS = 120_000; // a JVM start takes over 30 s on a machine loaded 15 times over
    private static final long ANSWER_TIMEOUT_MS = 5_000;
    private static final long STOP_TIMEOUT_MS = 10_000;
    private static final String SETSID = "/usr/bin/setsid";

    private final Process process;
    private final Thread reader;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final int port;

    private ServerProcess(final Process process, final String name) throws IOException, InterruptedException
    {
        this.process = process;
        this.reader = new Thread(this::readLines, name + "-stdout");
        this.reader.setDaemon(true);
        this.reader.start();
        this.port = awaitPort();
    }

    /**
     * Starts {@code mainClass} in a child JVM and waits until it announces its port (2 minutes at most).
     *
     * @param name      names this side's thread reading the child's output ({@code <name>-stdout}).
     * @param mainClass the server's main class, on this JVM's class path.
     * @param jvmArgs   JVM options after the defaults (small serial-GC heap, native access), e.g. {@code -XX:+AlwaysPreTouch}.
     * @param args      its arguments.
     * @return the running server.
     * @throws IOException if the process does not start or announce its port within 2 minutes (it is then stopped).
     * @throws InterruptedException if interrupted while waiting (the process is then stopped).
     */
    public static ServerProcess start(final String name, final Class<?> mainClass, final List<String> jvmArgs, final List<String> args)
        throws IOException, InterruptedException
    {
        return start(name, mainClass, jvmArgs, args, false);
    }

    /**
     * As {@link #start(String, Class, List, List)}, optionally in a session of its own
     * ({@code setsid}): with Linux's scheduler autogroups on ({@code /proc/sys/kernel/sched_autogroup_enabled}),
     * a session is what shares the cores fairly with other sessions, so a server in its own session
     * no longer takes its CPU from the measured JVM's share (nor the measured JVM from the server's),
     * as an exchange on another machine would not.
     *
     * @param ownSession true to start the child through {@code setsid}.
     * @return the running server.
     * @throws IOException if {@code setsid} is missing, or as {@link #start(String, Class, List, List)}.
     * @throws InterruptedException as {@link #start(String, Class, List, List)}.
     */
    public static ServerProcess start(final String name, final Class<?> mainClass, final List<String> jvmArgs, final List<String> args,
        final boolean ownSession) throws IOException, InterruptedException
    {
        if (ownSession && !new File(SETSID).canExecute())
        {
            throw new IOException("a server in its own session needs " + SETSID + " (util-linux)");
        }
        final String java = ProcessHandle.current().info().command()
            .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        final List<String> command = new ArrayList<>(ownSession ? List.of(SETSID) : List.of());
        command.addAll(List.of(java, "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED"));
        command.addAll(moduleFlags());
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(args);
        final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try
        {
            return new ServerProcess(process, name);
        }
        catch (final IOException | InterruptedException | RuntimeException ex)
        {
            stop(process);
            throw ex;
        }
    }

    /** @return this JVM's {@code --add-opens} and {@code --add-exports} flags (Agrona, Chronicle and the fibers need them). */
    private static List<String> moduleFlags()
    {
        final List<String> flags = new ArrayList<>();
        final List<String> own = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (int i = 0; i < own.size(); i++)
        {
            final String arg = own.get(i);
            if (arg.startsWith("--add-opens=") || arg.startsWith("--add-exports="))
            {
                flags.add(arg);
            }
            else if ((arg.equals("--add-opens") || arg.equals("--add-exports")) && i + 1 < own.size())
            {
                flags.add(arg + '=' + own.get(++i));
            }
        }
        return flags;
    }

    /** @return the port the server listens on, on loopback. */
    public int port()
    {
        return port;
    }

    /** @return the server process's id. */
    public long pid()
    {
        return process.pid();
    }

    /**
     * Sends one command line and returns the one line the server answers.
     *
     * @param command the command, without a line end.
     * @return the answer.
     * @throws IOException if the server is gone or does not answer within 5 s.
     * @throws InterruptedException if interrupted while waiting.
     */
    public String ask(final String command) throws IOException, InterruptedException
    {
        final OutputStream in = process.getOutputStream();
        in.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
        in.flush();
        final String answer = lines.poll(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        if (answer == null)
        {
            throw new IOException("the server process did not answer '" + command + "' within " + ANSWER_TIMEOUT_MS + " ms (" +
                (process.isAlive() ? "alive" : "exited " + process.exitValue()) + ')');
        }
        return answer;
    }

    /** Stops the server process and waits for it to exit (10 s, then it is killed, 10 s more at most). */
    @Override
    public void close() throws InterruptedException
    {
        stop(process);
        reader.join(STOP_TIMEOUT_MS);
    }

    private int awaitPort() throws IOException, InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        String announced = null;
        while (announced == null && process.isAlive() && deadlineNs - System.nanoTime() > 0)
        {
            announced = lines.poll(100, TimeUnit.MILLISECONDS);
        }
        if (announced == null)
        {
            announced = lines.poll(); // said just before it exited
        }
        if (announced == null || !announced.startsWith(PORT_LINE))
        {
            throw new IOException("the server process did not announce its port within " + START_TIMEOUT_MS +
                " ms (exit " + (process.isAlive() ? "none" : Integer.toString(process.exitValue())) + ", said " + announced + ')');
        }
        return Integer.parseInt(announced.substring(PORT_LINE.length()).trim());
    }

    private void readLines()
    {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII)))
        {
            for (String line = out.readLine(); line != null; line = out.readLine())
            {
                lines.add(line);
            }
        }
        catch (final IOException ex)
        {
            // the process is gone: a waiting ask or start times out and says so
        }
    }

    private static void stop(final Process process) throws InterruptedException
    {
        try
        {
            process.getOutputStream().close();
        }
        catch (final IOException ex)
        {
            // destroyed below anyway
        }
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS))
        {
            process.destroyForcibly().waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
    }
}
