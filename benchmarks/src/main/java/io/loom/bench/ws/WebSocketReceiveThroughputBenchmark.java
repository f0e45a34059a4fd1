package io.loom.bench.ws;

import io.loom.runtime.net.tls.TlsEngineProvider;
import io.netty.handler.ssl.SslProvider;
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

import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * Messages per second a WebSocket client decodes from a server streaming text frames over loopback
 * as fast as TCP takes them; one operation is one message received.
 *
 * <pre>
 *   server process (own JVM)                                    benchmark JVM (measured)
 *   FramePushServer: one thread, pre-built frames ──TCP/TLS──▶ client ──▶ count
 *     ws:  blocking SocketChannel      loopback               loom: one fiber on a reactor
 *     wss: BoringSSL engine, blocking                         netty: one NIO event loop
 *                                                             jdk: java.net.http.WebSocket
 *                                                             discard: raw bytes, not decrypted
 * </pre>
 *
 * <p>For {@code wss}, {@code loom} and {@code netty} decrypt with the JDK's SSLEngine,
 * {@code loom-openssl} and {@code netty-openssl} with BoringSSL (netty-tcnative); java.net.http has
 * only the JDK's. Over {@code ws} the {@code -openssl} variants are the plain clients again: a
 * duplicate that shows the run's noise.
 *
 * <p>The server is a fixture, identical for every client: {@link ServerProcess} runs it in
 * a child JVM started at trial set-up and stopped at tear-down, and for {@code wss} it encrypts with
 * BoringSSL, so neither its CPU time nor its allocation lands in the measured JVM and it is not what
 * limits the fastest client. {@code discard} is no client but that server's ceiling:
 * {@link DiscardingStreamReceiver} reads the raw stream without decrypting or decoding and counts
 * frame-sized chunks as messages.
 *
 * <p>Every {@code wss} client negotiates TLS 1.3 with {@value #TLS13_SUITE}. BoringSSL cannot be
 * told which TLS 1.3 suites to allow and follows the client's preference; the JDK's clients prefer
 * AES-256 and BoringSSL's and Netty's AES-128, so set-up restricts the JDK's client default
 * ({@code jdk.tls.client.cipherSuites}, read once per JVM, and each trial has its own fork) before
 * any client exists. The server prints the suite it negotiated with each client.
 *
 * <p>Bytes per second is messages per second times the payload size (plus 2-4 header bytes).
 * {@code -prof gc} gives B/op: allocation per message in the benchmark JVM, which holds the client
 * and JMH only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WebSocketReceiveThroughputBenchmark
{
    private static final int BATCH = 10_000;
    private static final String TLS13_SUITE = "TLS_AES_128_GCM_SHA256";

    /** Payload bytes per message. */
    @Param({"64", "512", "4096"})
    public int payloadSize;

    /** ws (plain TCP) or wss (TLS). */
    @Param({"ws", "wss"})
    public String scheme;

    /** The client under test. */
    @Param({"loom", "loom-openssl", "netty", "netty-openssl", "jdk", "discard"})
    public String client;

    private ServerProcess server;
    private WebSocketReceiver receiver;
    private long target;

    /** Starts the server and connects the client; waits for the first messages. */
    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        final boolean tls = "wss".equals(scheme);
        System.setProperty("jdk.tls.client.cipherSuites", TLS13_SUITE); // before the JDK's TLS initialises
        server = FramePushServer.startProcess(payloadSize, tls);
        final URI uri = FramePushServer.uri(server, tls);
        receiver = switch (client)
        {
            case "loom" -> new LoomWebSocketReceiver(uri, TlsEngineProvider.JDK);
            case "loom-openssl" -> new LoomWebSocketReceiver(uri, TlsEngineProvider.OPENSSL);
            case "netty" -> new NettyWebSocketReceiver(uri, SslProvider.JDK);
            case "netty-openssl" -> new NettyWebSocketReceiver(uri, SslProvider.OPENSSL);
            case "jdk" -> new JdkWebSocketReceiver(uri, tls ? BenchmarkTls.trustingClientContext() : null);
            case "discard" -> new DiscardingStreamReceiver(
                uri, FramePushServer.frameBytes(payloadSize), tls ? BenchmarkTls.trustingClientContext() : null);
            default -> throw new IllegalArgumentException("unknown client " + client);
        };
        target = receiver.counter().received() + BATCH;
        receiver.counter().awaitAtLeast(target);
    }

    /** Closes client and server. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception
    {
        receiver.close();
        server.close();
    }

    /**
     * Waits until the client has decoded {@value #BATCH} more messages.
     *
     * @throws InterruptedException if interrupted.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void receive() throws InterruptedException
    {
        target += BATCH;
        receiver.counter().awaitAtLeast(target);
    }
}
