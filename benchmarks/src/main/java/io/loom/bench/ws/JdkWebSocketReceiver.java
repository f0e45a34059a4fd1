package io.loom.bench.ws;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's own client, {@link java.net.http.WebSocket} (what a developer reaches for with no
 * dependency): messages arrive as decoded {@link CharSequence}s on a listener; demand is requested
 * once, unbounded, so flow control costs nothing per message. The client runs on its default
 * executor, as a developer would leave it: with a single-thread executor instead (as until session
 * 5) it reached 0.34x, 0.63x and 0.68x of that throughput at wss 64 B, 512 B and 4 KiB in one run
 * ({@code results/wss-s5-run2.txt}).
 *
 * <p>Thread-safety: see {@link WebSocketReceiver}.
 */
final class JdkWebSocketReceiver implements WebSocketReceiver
{
    private final ReceiveCounter counter = new ReceiveCounter();
    private final HttpClient client;
    private final WebSocket webSocket;
    private long checksum;

    JdkWebSocketReceiver(final URI uri, final SSLContext trustingContext) throws Exception
    {
        final HttpClient.Builder builder = HttpClient.newBuilder();
        if (trustingContext != null)
        {
            builder.sslContext(trustingContext);
        }
        client = builder.build();
        webSocket = client.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener()
        {
            @Override
            public void onOpen(final WebSocket ws)
            {
                ws.request(Long.MAX_VALUE);
            }

            @Override
            public CompletionStage<?> onText(final WebSocket ws, final CharSequence data, final boolean last)
            {
                checksum += data.charAt(0) + data.charAt(data.length() - 1);
                if (last)
                {
                    counter.onMessage();
                }
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(final WebSocket ws, final ByteBuffer data, final boolean last)
            {
                if (last)
                {
                    counter.onMessage();
                }
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
    }

    @Override
    public ReceiveCounter counter()
    {
        return counter;
    }

    @Override
    public void close()
    {
        webSocket.abort();
        client.shutdownNow();
        try
        {
            client.awaitTermination(java.time.Duration.ofSeconds(5));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString()
    {
        return "jdk checksum=" + checksum;
    }
}
