package io.loom.runtime.net.ws;

import io.loom.runtime.net.ChunkedReadTransport;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link WebSocketFrameReader}'s receive buffer, driven directly on the test thread by a transport
 * that hands out a stream of frames 16 KiB per read, as a TLS transport hands out decrypted records.
 */
class WebSocketFrameReaderTest
{
    private static final URI URI = java.net.URI.create("wss://localhost/stream");
    private static final int RECORD_BYTES = 16 << 10;

    /**
     * Frames that straddle records (4,100 bytes each, four in a record): once the reader has parsed
     * what it holds, every read is offered room for a whole record, so a TLS transport can decrypt
     * each record straight into the buffer (with less room it decrypts into its own buffer and
     * copies). The frames come out whole and in order.
     */
    @Test
    void shouldOfferEveryReadRoomForAWholeRecordAndKeepFramesWhole() throws Exception
    {
        final int frames = 200;
        final ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < frames; i++)
        {
            final byte[] payload = new byte[4096];
            java.util.Arrays.fill(payload, (byte)('a' + i % 26));
            stream.write(Frames.frame(true, 0, Frames.TEXT, payload));
        }
        final ChunkedReadTransport transport = new ChunkedReadTransport(ByteBuffer.wrap(stream.toByteArray()), RECORD_BYTES);
        final WebSocketFrameReader reader = new WebSocketFrameReader(URI, 64 << 10, 1 << 20);

        int parsed = 0;
        while (parsed < frames)
        {
            if (reader.nextFrame(false))
            {
                assertEquals(4096, reader.payloadLength(), "frame " + parsed);
                final byte expected = (byte)('a' + parsed % 26);
                assertEquals(expected, reader.view().getByte(reader.payloadOffset()), "first byte of frame " + parsed);
                assertEquals(expected, reader.view().getByte(reader.payloadOffset() + 4095), "last byte of frame " + parsed);
                reader.consumeFrame();
                parsed++;
            }
            else
            {
                assertTrue(reader.read(transport, WebSocketFrameReader.NO_TIMEOUT) > 0, "stream ended after " + parsed + " frames");
            }
        }
        assertTrue(transport.reads() > 40, "the stream was handed out record by record: " + transport.reads() + " reads");
        assertTrue(transport.smallestRoom() >= RECORD_BYTES, "a read was offered " + transport.smallestRoom() + " bytes of room");
    }
}
