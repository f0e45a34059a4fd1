package io.loom.runtime.net.tls;

import io.loom.runtime.net.FiberTransport;

import java.io.IOException;
import java.nio.ByteBuffer;

/** A TCP transport that counts the ciphertext bytes the TLS layer writes through it: what went on the wire. */
final class CountingTransport implements FiberTransport
{
    private final FiberTransport tcp;
    private long bytesWritten;

    CountingTransport(final FiberTransport tcp)
    {
        this.tcp = tcp;
    }

    /** @return ciphertext bytes written so far; read on the owning fiber. */
    long bytesWritten()
    {
        return bytesWritten;
    }

    @Override
    public int read(final ByteBuffer dst) throws IOException, InterruptedException
    {
        return tcp.read(dst);
    }

    @Override
    public int read(final ByteBuffer dst, final long timeoutNs) throws IOException, InterruptedException
    {
        return tcp.read(dst, timeoutNs);
    }

    @Override
    public void writeFully(final ByteBuffer src) throws IOException, InterruptedException
    {
        bytesWritten += src.remaining();
        tcp.writeFully(src);
    }

    @Override
    public boolean isOpen()
    {
        return tcp.isOpen();
    }

    @Override
    public void close()
    {
        tcp.close();
    }

    @Override
    public String remote()
    {
        return tcp.remote();
    }
}
