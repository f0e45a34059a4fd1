package io.loom.bench.ws;

import io.loom.runtime.net.tls.TlsEngineProvider;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark's server process streams whole, valid frames that Loom's client decodes over
 * {@code ws} and {@code wss} (BoringSSL on the server, either engine on the client), and is gone
 * once closed.
 */
class FramePushServerTest
{
    private static final long MESSAGES = 20_000;

    @ParameterizedTest(name = "{0}, {1} B payload, client engine {2}")
    @CsvSource({"ws, 64, JDK", "wss, 64, JDK", "wss, 4096, OPENSSL", "wss, 4096, JDK"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldStreamFramesLoomDecodesThenExitWhenClosed(final String scheme, final int payloadBytes, final TlsEngineProvider engine)
        throws Exception
    {
        final ServerProcess server = FramePushServer.startProcess(payloadBytes, "wss".equals(scheme));
        final ProcessHandle process = ProcessHandle.of(server.pid()).orElseThrow();
        final byte[] payload = FramePushServer.payload(payloadBytes);
        try
        {
            final LoomWebSocketReceiver client = new LoomWebSocketReceiver(FramePushServer.uri(server, "wss".equals(scheme)), engine);
            client.counter().awaitAtLeast(MESSAGES); // fails after 30 s without progress
            client.close();
            final long received = client.counter().received();
            assertTrue(received >= MESSAGES, "received " + received);
            assertEquals(received * (payload[0] + payload[payloadBytes - 1]), client.checksum(),
                "each payload's first and last byte, as the server built them");
        }
        finally
        {
            server.close();
        }
        assertFalse(process.isAlive(), "server process left running");
    }
}
