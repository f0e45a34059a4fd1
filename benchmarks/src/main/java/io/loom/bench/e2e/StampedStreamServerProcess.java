package io.loom.bench.e2e;

import io.loom.bench.ws.BenchmarkTls;
import io.loom.bench.ws.ServerProcess;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link StampedStreamServer} in its own JVM, as the harness sees it: where to connect, and the
 * server's counters (asked over the child's standard input, answered within 5 s).
 *
 * <p>The child runs with a small serial-GC heap, pre-touched; it exits when this JVM closes its
 * standard input or dies, and {@link #close()} kills it if it has not exited within 10 s.
 *
 * <p>Thread-safety: the harness thread only.
 */
final class StampedStreamServerProcess implements AutoCloseable
{
    private final ServerProcess process;
    private final boolean tls;

    private StampedStreamServerProcess(final ServerProcess process, final boolean tls)
    {
        this.process = process;
        this.tls = tls;
    }

    /**
     * Starts the server process and waits until it listens (2 minutes at most).
     *
     * @param venue             {@code binance}.
     * @param capture           the capture the stream is read from.
     * @param instrument        the symbol or pair streamed.
     * @param messagesPerSecond the fixed rate, or 0 for flat out.
     * @param epochNs           the harness epoch on the {@link System#nanoTime()} clock.
     * @param tls               true for {@code wss}/{@code https} (BoringSSL), false for plain.
     * @param timed             true to time the paced sender ({@link #senderTimes()}).
     * @param wireTimes         when timed, the {@link WireTimes} file the sender tells when each update leaves; null for none.
     * @param ownSession        true to run the server in a session of its own ({@link ServerProcess#start(String, Class, List, List, boolean)}).
     * @return the running server.
     * @throws Exception if it does not start.
     */
    static StampedStreamServerProcess start(final String venue, final Path capture, final String instrument, final double messagesPerSecond,
        final long epochNs, final boolean tls, final boolean timed, final Path wireTimes, final boolean ownSession) throws Exception
    {
        final List<String> args = new ArrayList<>(List.of(venue, capture.toString(), instrument, Double.toString(messagesPerSecond), Long.toString(epochNs),
            tls ? "wss" : "ws", BenchmarkTls.keyStoreFile().toString(), timed ? "timed" : "untimed"));
        if (timed && wireTimes != null)
        {
            args.add(wireTimes.toString());
        }
        return new StampedStreamServerProcess(ServerProcess.start("e2e-server", StampedStreamServer.class, List.of("-XX:+AlwaysPreTouch"), args, ownSession), tls);
    }

    /** @return {@code wss://127.0.0.1:port} ({@code ws://} when plain; any path streams). */
    URI webSocketBase()
    {
        return URI.create((tls ? "wss" : "ws") + "://127.0.0.1:" + process.port());
    }

    /** @return the server process's id. */
    long pid()
    {
        return process.pid();
    }

    /** @return {@code https://127.0.0.1:port} ({@code http://} when plain). */
    URI restBase()
    {
        return URI.create((tls ? "https" : "http") + "://127.0.0.1:" + process.port());
    }

    /**
     * @return the server's counters now.
     * @throws IOException if the server does not answer within 5 s or answers nonsense.
     * @throws InterruptedException if interrupted while waiting.
     */
    Stats stats() throws IOException, InterruptedException
    {
        final String answer = process.ask(StampedStreamServer.STATS);
        final String[] words = answer.split(" ");
        if (words.length != 6 || !"sent".equals(words[0]))
        {
            throw new IOException("unexpected stats from the server: " + answer);
        }
        return new Stats(Long.parseLong(words[1]), Integer.parseInt(words[3]), Integer.parseInt(words[5]));
    }

    /**
     * @return the paced sender's lateness and write times since the last call ({@link SenderTimes#answer()}), or "not timed".
     * @throws IOException if the server does not answer within 5 s.
     * @throws InterruptedException if interrupted while waiting.
     */
    String senderTimes() throws IOException, InterruptedException
    {
        return process.ask(SenderTimes.COMMAND);
    }

    /** Stops the server process (10 s, then killed). */
    @Override
    public void close() throws InterruptedException
    {
        process.close();
    }

    /**
     * The server's counters.
     *
     * @param messagesSent updates written on the current WebSocket.
     * @param webSockets   WebSocket upgrades accepted (1 in a clean run).
     * @param restAnswers  REST bodies served.
     */
    record Stats(long messagesSent, int webSockets, int restAnswers)
    {
    }
}
