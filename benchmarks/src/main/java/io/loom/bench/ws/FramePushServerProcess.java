package io.loom.bench.ws;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts a {@link FramePushServer} in a child JVM (the same {@code java} binary and class path as
 * this one) and stops it: the benchmark's fixture, kept out of the measured JVM so that its CPU
 * time, allocation and garbage collection are not counted against the client under test.
 *
 * <pre>
 *   benchmark JVM                                   child JVM
 *   start() ── java -cp &lt;same&gt; FramePushServer ──▶ listens on loopback, prints "port N"
 *           ◀── reads "port N" (2 min at most) ────
 *   close() ── closes its stdin, destroys it ────▶ exits (also when this JVM dies: stdin ends)
 * </pre>
 *
 * <p>Thread-safety: started and closed by one thread.
 */
final class FramePushServerProcess implements AutoCloseable
{
    private static final long START_TIMEOUT_MS = 120_000; // a JVM start takes over 30 s on a machine loaded 15 times over
    private static final long STOP_TIMEOUT_MS = 10_000;

    private final Process process;
    private final URI uri;

    private FramePushServerProcess(final Process process, final URI uri)
    {
        this.process = process;
        this.uri = uri;
    }

    /**
     * Starts the server process and waits until it listens (2 minutes at most).
     *
     * @param payloadBytes payload bytes per frame.
     * @param tls          {@code wss} (BoringSSL, the certificate of {@link BenchmarkTls}) or {@code ws}.
     * @return the running server.
     * @throws IOException if the process does not start or announce its port within 2 minutes.
     */
    static FramePushServerProcess start(final int payloadBytes, final boolean tls) throws Exception
    {
        final String java = ProcessHandle.current().info().command()
            .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        final List<String> command = List.of(java, "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
            "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
            FramePushServer.class.getName(), Integer.toString(payloadBytes), tls ? "wss" : "ws",
            BenchmarkTls.keyStoreFile().toString());
        final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try
        {
            final int port = awaitPort(process);
            return new FramePushServerProcess(process, URI.create((tls ? "wss" : "ws") + "://localhost:" + port + "/stream"));
        }
        catch (final Exception ex)
        {
            stop(process);
            throw ex;
        }
    }

    /** @return the server's WebSocket URI on loopback. */
    URI uri()
    {
        return uri;
    }

    /** @return the server process's id. */
    long pid()
    {
        return process.pid();
    }

    /** Stops the server process and waits for it to exit (10 s, then it is killed). */
    @Override
    public void close() throws InterruptedException
    {
        stop(process);
    }

    private static int awaitPort(final Process process) throws IOException, InterruptedException
    {
        final AtomicReference<String> line = new AtomicReference<>();
        final Thread reader = new Thread(() ->
        {
            try
            {
                line.set(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII)).readLine());
            }
            catch (final IOException ex)
            {
                // no line: reported below
            }
        }, "frame-push-server-port");
        reader.setDaemon(true);
        reader.start();
        reader.join(START_TIMEOUT_MS);
        final String announced = line.get();
        if (announced == null || !announced.startsWith(FramePushServer.PORT_LINE))
        {
            stop(process); // ends the reader's readLine too
            reader.join(STOP_TIMEOUT_MS);
            throw new IOException("the frame push server process did not announce its port within " + START_TIMEOUT_MS +
                " ms (exit " + (process.isAlive() ? "none" : Integer.toString(process.exitValue())) + ", said " + announced + ')');
        }
        return Integer.parseInt(announced.substring(FramePushServer.PORT_LINE.length()).trim());
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
