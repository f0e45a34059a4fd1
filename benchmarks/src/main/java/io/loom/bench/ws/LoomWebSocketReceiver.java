package io.loom.bench.ws;

import io.loom.runtime.fiber.FiberBaton;
import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.fiber.FiberSchedulerContext;
import io.loom.runtime.net.tls.TlsContext;
import io.loom.runtime.net.tls.TlsEngineProvider;
import io.loom.runtime.net.ws.WebSocketConnection;
import io.loom.runtime.net.ws.WebSocketContext;
import io.loom.runtime.net.ws.WebSocketMessage;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Loom's client ({@code ws://} or {@code wss://} on the given TLS engine, with or without BoringSSL's
 * direct record path, trusting the benchmark's certificate, hostname verification on): one fiber
 * on one reactor reading {@link WebSocketConnection#receive()} in a loop,
 * touching each payload's first and last byte (so the view is really read) and counting.
 *
 * <p>Thread-safety: see {@link WebSocketReceiver}.
 */
final class LoomWebSocketReceiver implements WebSocketReceiver
{
    private final ReceiveCounter counter = new ReceiveCounter();
    private final FiberScheduler reactor;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private long checksum;

    LoomWebSocketReceiver(final URI uri, final TlsEngineProvider engine, final boolean directRecords) throws Exception
    {
        reactor = new FiberScheduler(new FiberSchedulerContext().name("loom-ws-bench").slowSliceThresholdNs(0)).start();
        final FiberBaton open = new FiberBaton();
        final TlsContext tls = "wss".equals(uri.getScheme())
            ? new TlsContext().engineProvider(engine).directRecords(directRecords)
                .trustCertificates((X509Certificate)BenchmarkTls.keyStore().getCertificate("localhost"))
            : null;
        reactor.spawn("ws-receiver", () ->
        {
            try (WebSocketConnection connection = WebSocketConnection.connect(
                reactor, uri, new WebSocketContext().offerPerMessageDeflate(false), tls))
            {
                open.post();
                while (true)
                {
                    final WebSocketMessage message = connection.receive();
                    checksum += message.buffer().getByte(message.offset()) + message.buffer().getByte(message.offset() + message.length() - 1);
                    counter.onMessage();
                }
            }
            catch (final InterruptedException ex)
            {
                // benchmark over
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
                open.post();
            }
        });
        if (!open.await(10, TimeUnit.SECONDS) || failure.get() != null)
        {
            close();
            throw new IllegalStateException("Loom client did not connect to " + uri, failure.get());
        }
    }

    @Override
    public ReceiveCounter counter()
    {
        return counter;
    }

    /**
     * @return the sum of every received payload's first and last byte; read it after {@link #close()}
     * (the reactor's thread has ended then, so every message counted so far is in it).
     */
    long checksum()
    {
        return checksum;
    }

    @Override
    public void close()
    {
        reactor.stop();
    }

    @Override
    public String toString()
    {
        return "loom checksum=" + checksum;
    }
}
