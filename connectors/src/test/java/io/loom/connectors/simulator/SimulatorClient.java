package io.loom.connectors.simulator;

import io.loom.runtime.net.TestCertificates;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebSocket and REST client for the simulator tests, independent of Loom's own client: the JDK's
 * {@link java.net.http.HttpClient} and {@link WebSocket}. Collects every text message with its
 * arrival time and counts pongs. Tests that assert how the server ends a connection read it with
 * {@link RawWebSocketClient} instead: the JDK client may report an abrupt end late or not at all.
 *
 * <p>Thread-safety: the listener runs on the HTTP client's threads; the accessors may be used from
 * the test thread.
 */
final class SimulatorClient implements AutoCloseable
{
    static final long TIMEOUT_MS = 10_000;

    private final HttpClient http;
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final AtomicInteger pongs = new AtomicInteger();
    private WebSocket webSocket;

    /** One text message and when it arrived ({@link System#nanoTime()}). */
    record Message(String text, long arrivedNs)
    {
    }

    private SimulatorClient(final HttpClient http)
    {
        this.http = http;
    }

    /** A client with default trust (plain ws:// and http://). */
    static SimulatorClient plain()
    {
        return new SimulatorClient(HttpClient.newBuilder().connectTimeout(Duration.ofMillis(TIMEOUT_MS)).build());
    }

    /** A client trusting the test CA, for wss:// and https://. */
    static SimulatorClient trustingTestCa() throws Exception
    {
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(TestCertificates.get().trustStore());
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return new SimulatorClient(HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofMillis(TIMEOUT_MS)).build());
    }

    /** Opens the WebSocket, waiting up to {@link #TIMEOUT_MS}. */
    SimulatorClient connect(final URI uri) throws Exception
    {
        webSocket = http.newWebSocketBuilder().buildAsync(uri, new Listener()).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        return this;
    }

    void send(final String text) throws Exception
    {
        webSocket.sendText(text, true).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    void ping() throws Exception
    {
        webSocket.sendPing(ByteBuffer.wrap(new byte[]{1, 2, 3})).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    int pongs()
    {
        return pongs.get();
    }

    /** @return the next message within {@code timeoutMs}, or fails. */
    Message next(final long timeoutMs) throws InterruptedException
    {
        final Message message = messages.poll(timeoutMs, TimeUnit.MILLISECONDS);
        if (message == null)
        {
            throw new AssertionError("no message within " + timeoutMs + " ms");
        }
        return message;
    }

    /** @return the next message within {@code timeoutMs}, or null. */
    Message poll(final long timeoutMs) throws InterruptedException
    {
        return messages.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** @return the next {@code count} message texts, each within {@link #TIMEOUT_MS}. */
    List<String> texts(final int count) throws InterruptedException
    {
        final List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            texts.add(next(TIMEOUT_MS).text());
        }
        return texts;
    }

    /** Sends a GET and returns the response, waiting up to {@link #TIMEOUT_MS}. */
    HttpResponse<String> get(final URI uri) throws Exception
    {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(TIMEOUT_MS)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close()
    {
        if (webSocket != null)
        {
            webSocket.abort();
        }
        http.close();
    }

    private final class Listener implements WebSocket.Listener
    {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(final WebSocket socket)
        {
            // unbounded demand: every message is queued as soon as it is read
            socket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(final WebSocket socket, final CharSequence data, final boolean last)
        {
            partial.append(data);
            if (last)
            {
                messages.add(new Message(partial.toString(), System.nanoTime()));
                partial.setLength(0);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onPong(final WebSocket socket, final ByteBuffer message)
        {
            pongs.incrementAndGet();
            return null;
        }
    }
}
