package io.loom.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.NavigableMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Baseline (a), what a team writes itself with the JDK and Jackson: {@code java.net.http.WebSocket}
 * hands each complete text message to an {@link ArrayBlockingQueue}; a consumer thread parses it
 * with Jackson's tree model and applies it to a {@code TreeMap<BigDecimal, BigDecimal>} book per
 * side, by the venue's rules ({@link DiyBook}: Binance's snapshot and update ids in
 * {@link DiyBinanceBook}, Kraken's subscribe, truncation and CRC32 in {@link DiyKrakenBook}).
 *
 * <pre>
 *   wss ─▶ HttpClient thread: Listener.onText ─▶ ArrayBlockingQueue(65536) ─▶ "e2e-diy-consumer": Jackson ─▶ TreeMap book ─▶ recorder
 * </pre>
 *
 * <p>The listener requests the next message only after the put, so a full queue pushes back on TCP
 * (nothing dropped).
 *
 * <p>Thread-safety: harness thread only; the consumer's state is its own.
 */
final class DiySystem implements SystemUnderTest
{
    private static final int QUEUE_CAPACITY = 1 << 16;
    private static final long JOIN_TIMEOUT_MS = 5_000;

    private final SSLContext tls;
    private final DiyBook book;
    private final ObjectMapper json = new ObjectMapper();
    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private HttpClient client;
    private WebSocket webSocket;
    private Thread consumer;
    private volatile boolean running;
    private volatile long errors;

    /**
     * @param tls  a client context that trusts the server.
     * @param book the venue's book and rules.
     */
    DiySystem(final SSLContext tls, final DiyBook book)
    {
        this.tls = tls;
        this.book = book;
    }

    @Override
    public String name()
    {
        return "diy";
    }

    @Override
    public void start(final URI webSocketBase, final URI restBase, final LatencyRecorder recorder) throws Exception
    {
        running = true;
        client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
        webSocket = client.newWebSocketBuilder()
            .buildAsync(book.webSocketUri(webSocketBase), new QueueingListener())
            .get(10, TimeUnit.SECONDS);
        book.onOpen(webSocket);
        consumer = new Thread(() -> consume(restBase, recorder), "e2e-diy-consumer");
        consumer.start();
    }

    @Override
    public long errors()
    {
        return errors + book.errors();
    }

    @Override
    public void close()
    {
        running = false;
        if (webSocket != null)
        {
            webSocket.abort();
        }
        try
        {
            if (consumer != null)
            {
                consumer.join(JOIN_TIMEOUT_MS);
                if (consumer.isAlive())
                {
                    throw new IllegalStateException("e2e-diy-consumer did not end within " + JOIN_TIMEOUT_MS + " ms");
                }
            }
            if (client != null)
            {
                client.shutdownNow();
                if (!client.awaitTermination(Duration.ofMillis(JOIN_TIMEOUT_MS)))
                {
                    throw new IllegalStateException("the HttpClient's threads did not end within " + JOIN_TIMEOUT_MS + " ms");
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while closing", ex);
        }
    }

    /**
     * Applies {@code [[price, quantity, …], …]} to one side: quantity 0 removes the price, any other sets it.
     *
     * @param side   the side, by price.
     * @param levels the levels as the venue sends them (strings).
     */
    static void apply(final NavigableMap<BigDecimal, BigDecimal> side, final JsonNode levels)
    {
        for (final JsonNode level : levels)
        {
            final BigDecimal price = new BigDecimal(level.get(0).asText());
            final BigDecimal quantity = new BigDecimal(level.get(1).asText());
            if (quantity.signum() == 0)
            {
                side.remove(price);
            }
            else
            {
                side.put(price, quantity);
            }
        }
    }

    private void consume(final URI restBase, final LatencyRecorder recorder)
    {
        try
        {
            book.synchronise(client, restBase);
            while (running)
            {
                final String text = queue.poll(100, TimeUnit.MILLISECONDS);
                if (text == null)
                {
                    continue;
                }
                final long stamp = book.apply(json.readTree(text));
                if (stamp != DiyBook.NOT_APPLIED)
                {
                    recorder.onApplied(stamp, System.nanoTime());
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final Exception ex)
        {
            if (running)
            {
                errors++;
                System.err.println("diy consumer failed: " + ex);
            }
        }
    }
    /** Joins the parts of a text message and queues it, then asks for the next. */
    private final class QueueingListener implements WebSocket.Listener
    {
        private final StringBuilder parts = new StringBuilder();

        @Override
        public CompletionStage<?> onText(final WebSocket socket, final CharSequence data, final boolean last)
        {
            parts.append(data);
            if (last)
            {
                try
                {
                    while (running && !queue.offer(parts.toString(), 100, TimeUnit.MILLISECONDS))
                    {
                        // full: TCP pushes back while we wait
                    }
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
                parts.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }
}
