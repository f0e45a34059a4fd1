package io.loom.runtime.net;

import io.loom.runtime.fiber.FiberBaton;
import io.loom.runtime.fiber.FiberScheduler;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bulk transfer through {@link FiberTcpSocket}, each direction on its own: 64 MiB of a
 * deterministic pattern, checked by length and CRC32 at the receiving end.
 *
 * <pre>
 *   fiber ──writeFully(64 MiB)──▶ blocking peer: CRC32 until end of stream
 *   fiber: read + CRC32 until END_OF_STREAM ◀── blocking peer writes 64 MiB, closes
 * </pre>
 */
class FiberTcpSocketTransferTest
{
    private static final int TOTAL_BYTES = 64 << 20;

    @Test
    void shouldSend64MiBToPeerIntact() throws Exception
    {
        final ByteBuffer source = ByteBuffer.allocateDirect(TOTAL_BYTES);
        for (int i = 0; i < TOTAL_BYTES; i++)
        {
            source.put(i, patternByte(i));
        }
        final CRC32 expected = new CRC32();
        expected.update(source.duplicate());

        final AtomicLong receivedBytes = new AtomicLong();
        final AtomicLong receivedCrc = new AtomicLong();
        final FiberBaton peerDone = new FiberBaton();
        final LoopbackPeer.Session checksumToEnd = socket ->
        {
            final InputStream in = socket.getInputStream();
            final byte[] buffer = new byte[64 * 1024];
            final CRC32 crc = new CRC32();
            long total = 0;
            int n;
            while ((n = in.read(buffer)) >= 0)
            {
                crc.update(buffer, 0, n);
                total += n;
            }
            receivedBytes.set(total);
            receivedCrc.set(crc.getValue());
            peerDone.post();
        };
        try (LoopbackPeer peer = LoopbackPeer.start("sink", checksumToEnd);
             FiberScheduler reactor = FiberScheduler.create("upload-reactor").start())
        {
            FiberCall.run(reactor, () ->
            {
                try (FiberTcpSocket socket = FiberTcpSocket.connect(reactor, peer.address(), FiberTcpSocketTest.CONNECT_TIMEOUT_NS))
                {
                    socket.writeFully(source);
                    assertEquals(TOTAL_BYTES, source.position());
                }
            });
            assertTrue(peerDone.await(30, TimeUnit.SECONDS), "peer did not reach end of stream");
            assertNull(peer.failure());
            assertEquals(TOTAL_BYTES, receivedBytes.get());
            assertEquals(expected.getValue(), receivedCrc.get(), "CRC32 of the received bytes");
        }
    }

    @Test
    void shouldReceive64MiBFromPeerIntact() throws Exception
    {
        final byte[] source = new byte[TOTAL_BYTES];
        for (int i = 0; i < TOTAL_BYTES; i++)
        {
            source[i] = patternByte(i);
        }
        final CRC32 expected = new CRC32();
        expected.update(source);

        final LoopbackPeer.Session sendAllThenClose = socket ->
        {
            final OutputStream out = socket.getOutputStream();
            for (int offset = 0; offset < TOTAL_BYTES; offset += 1 << 20)
            {
                out.write(source, offset, 1 << 20);
            }
        };
        try (LoopbackPeer peer = LoopbackPeer.start("source", sendAllThenClose);
             FiberScheduler reactor = FiberScheduler.create("download-reactor").start())
        {
            final long[] totals = FiberCall.call(reactor, () ->
            {
                try (FiberTcpSocket socket = FiberTcpSocket.connect(reactor, peer.address(), FiberTcpSocketTest.CONNECT_TIMEOUT_NS))
                {
                    final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
                    final CRC32 crc = new CRC32();
                    long total = 0;
                    while (socket.read(in.clear()) != FiberTcpSocket.END_OF_STREAM)
                    {
                        total += in.flip().remaining();
                        crc.update(in);
                    }
                    return new long[]{total, crc.getValue()};
                }
            });
            assertNull(peer.failure());
            assertEquals(TOTAL_BYTES, totals[0]);
            assertEquals(expected.getValue(), totals[1], "CRC32 of the received bytes");
        }
    }

    /** A deterministic byte sequence with no short period, so reordered or lost chunks change the CRC. */
    private static byte patternByte(final int index)
    {
        final int mixed = index * 0x9E3779B1;
        return (byte)((mixed >>> 24) ^ (index >>> 16));
    }
}
