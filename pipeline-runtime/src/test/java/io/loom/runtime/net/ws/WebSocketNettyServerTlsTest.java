package io.loom.runtime.net.ws;

import io.loom.runtime.net.FiberTcpSocket;
import io.loom.runtime.net.TestCertificates;
import io.loom.runtime.net.tls.TlsContext;
import io.loom.runtime.net.tls.TlsEngineProvider;
import io.loom.runtime.net.tls.TlsTransport;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * Every case of {@link WebSocketNettyServerTest} again over wss://: Netty's WebSocket server behind
 * its own TLS handler (certificate for 127.0.0.1 made at test time), the client through
 * {@link TlsTransport} on the JDK engine with hostname verification on and the test CA trusted
 * explicitly. {@link WebSocketNettyServerBoringSslTest} runs them on the BoringSSL engine.
 */
class WebSocketNettyServerTlsTest extends WebSocketNettyServerTest
{
    private static final SslContext SERVER_TLS = serverTls();

    private final TlsContext clientTls = new TlsContext().engineProvider(engine()).trustCertificates(TestCertificates.get().caCertificate());

    /** The client's TLS engine. */
    TlsEngineProvider engine()
    {
        return TlsEngineProvider.JDK;
    }

    @Override
    NettyWebSocketServer.Builder server()
    {
        return NettyWebSocketServer.builder().ssl(SERVER_TLS);
    }

    @Override
    ClientFiber.Connector connector()
    {
        return (reactor, address, uri) -> TlsTransport.handshake(
            FiberTcpSocket.connect(reactor, address, ClientFiber.CONNECT_TIMEOUT_NS), uri.getHost(), uri.getPort(), clientTls,
            reactor.clock());
    }

    private static SslContext serverTls()
    {
        try
        {
            final TestCertificates.Identity identity = TestCertificates.get().localhost();
            return SslContextBuilder.forServer(identity.privateKey(), identity.chain()).sslProvider(SslProvider.JDK).build();
        }
        catch (final javax.net.ssl.SSLException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
