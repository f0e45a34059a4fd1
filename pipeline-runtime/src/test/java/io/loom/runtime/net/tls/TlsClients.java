package io.loom.runtime.net.tls;

import io.loom.runtime.fiber.FiberScheduler;
import io.loom.runtime.net.FiberTcpSocket;
import io.loom.runtime.net.FiberTransport;
import io.loom.runtime.net.TestCertificates;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/** What the TLS tests do on their client fibers: connect, round-trip, read exactly. */
final class TlsClients
{
    static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    private TlsClients()
    {
    }

    /** A context on {@code engine} trusting the test CA (as an extra PEM certificate), secure otherwise. */
    static TlsContext trustingTestCa(final TlsEngineProvider engine)
    {
        return new TlsContext().engineProvider(engine).trustPemCertificates(TestCertificates.get().caCertificatePem());
    }

    /** Connects TCP to {@code address} and runs the handshake for {@code host}; call on a fiber of {@code reactor}. */
    static TlsTransport connect(final FiberScheduler reactor, final InetSocketAddress address, final String host, final TlsContext context)
        throws IOException, InterruptedException
    {
        final FiberTcpSocket socket = FiberTcpSocket.connect(reactor, address, CONNECT_TIMEOUT_NS);
        return TlsTransport.handshake(socket, host, address.getPort(), context, reactor.clock());
    }

    /** Writes {@code message} and reads back as many bytes, returning them. */
    static byte[] roundTrip(final FiberTransport transport, final ByteBuffer out, final ByteBuffer in, final byte[] message)
        throws IOException, InterruptedException
    {
        out.clear().put(message).flip();
        transport.writeFully(out);
        readExactly(transport, in, message.length);
        final byte[] echoed = new byte[message.length];
        in.flip().get(echoed);
        return echoed;
    }

    /** Clears {@code in} and reads exactly {@code count} bytes into it. */
    static void readExactly(final FiberTransport transport, final ByteBuffer in, final int count)
        throws IOException, InterruptedException
    {
        in.clear().limit(count);
        while (in.hasRemaining())
        {
            if (transport.read(in) < 0)
            {
                throw new EOFException("stream ended after " + in.position() + " of " + count + " bytes");
            }
        }
    }

    /** {@code size} bytes that differ per {@code round}. */
    static byte[] pattern(final int size, final int round)
    {
        final byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++)
        {
            bytes[i] = (byte)(i * 31 + round);
        }
        return bytes;
    }
}
