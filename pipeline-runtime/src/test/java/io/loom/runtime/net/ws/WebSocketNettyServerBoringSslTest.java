package io.loom.runtime.net.ws;

import io.loom.runtime.net.tls.TlsEngineProvider;

/** Every case of {@link WebSocketNettyServerTest} over wss:// with the client on the BoringSSL engine. */
class WebSocketNettyServerBoringSslTest extends WebSocketNettyServerTlsTest
{
    @Override
    TlsEngineProvider engine()
    {
        return TlsEngineProvider.OPENSSL;
    }
}
