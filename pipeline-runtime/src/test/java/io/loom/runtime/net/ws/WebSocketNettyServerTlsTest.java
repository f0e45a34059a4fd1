package io.loom.runtime.net.ws;

import io.loom.runtime.net.FiberTcpSocket;
import io.loom.runtime.net.TestCertificates;
import io.loom.runtime.net.tls.TlsContext;
import io.loom.runtime.net.tls.TlsTransport;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * Every case of {@link WebSocketNettyServerTest} again over wss://: Netty's WebSocket server behind
 * its own TLS handler (certificate for 127.0.0.1 made at test time), the client through
 * {@link TlsTransport} with hostname verification on and the test CA trusted explicitly.
 */
class WebSocketNettyServerTlsTest extends WebSocketNettyServerTest
{
    private static final SslContext SERVER_TLS = serverTls();
    private static final TlsContext CLIENT_TLS = new TlsContext().trustCertificates(TestCertificates.get().caCertificate());

    @Override
    NettyWebSocketServer.Builder server()
    {
        return NettyWebSocketServer.builder().ssl(SERVER_TLS);
    }

    @Override
    ClientFiber.Connector connector()
    {
        return (reactor, address, uri) -> TlsTransport.handshake(
            FiberTcpSocket.connect(reactor, address, ClientFiber.CONNECT_TIMEOUT_NS), uri.getHost(), uri.getPort(), CLIENT_TLS,
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
