package io.loom.runtime.net.ws;

import io.loom.runtime.fiber.FiberScheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import static io.loom.runtime.net.ws.Frames.BINARY;
import static io.loom.runtime.net.ws.Frames.CONTINUATION;
import static io.loom.runtime.net.ws.Frames.PING;
import static io.loom.runtime.net.ws.Frames.RSV1;
import static io.loom.runtime.net.ws.Frames.TEXT;
import static io.loom.runtime.net.ws.Frames.frame;
import static io.loom.runtime.net.ws.Frames.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Autobahn TestSuite client cases 12 and 13 (permessage-deflate, RFC 7692): the server compresses
 * messages of many sizes, whole and fragmented, with and without its context takeover and window
 * limits; the client inflates them and echoes them compressed, and the server inflates the echoes
 * — from an empty window per message when it asked for client_no_context_takeover, which only
 * works if the client really reset its compressor. Plus the extension's failure cases.
 */
class WebSocketDeflateCasesTest
{
    private static final String PMD = "permessage-deflate";
    private static final int MIB = 1 << 20;
    private static final int[] SIZES = {16, 64, 256, 1024, 4096, 8192, 16384, 32768, 65536, 131072, 262144};

    private static FiberScheduler reactor;

    @BeforeAll
    static void startReactor()
    {
        reactor = ClientFiber.startReactor("ws-deflate-cases");
    }

    @AfterAll
    static void stopReactor()
    {
        reactor.close();
    }

    @TestFactory
    Stream<DynamicTest> compressedMessages()
    {
        final List<FuzzCase> cases = new ArrayList<>();
        for (int i = 0; i < SIZES.length; i++)
        {
            cases.add(messages("12.1." + (i + 1), "10 compressible text messages of " + SIZES[i] + " bytes", PMD, TEXT, 10, SIZES[i], 0, false));
            cases.add(messages("12.2." + (i + 1), "5 random binary messages of " + SIZES[i] + " bytes", PMD, BINARY, 5, SIZES[i], 0, false));
        }
        final int[] fragmentSizes = {1, 7, 64, 1024, 8192};
        for (int i = 0; i < fragmentSizes.length; i++)
        {
            cases.add(messages("12.4." + (i + 1), "5 text messages of 16 KiB, compressed, in " + fragmentSizes[i] + "-byte frames",
                PMD, TEXT, 5, 16384, fragmentSizes[i], false));
            cases.add(messages("12.5." + (i + 1), "5 binary messages of 16 KiB, compressed, in " + fragmentSizes[i] + "-byte frames",
                PMD, BINARY, 5, 16384, fragmentSizes[i], false));
        }
        final String[][] parameters = {
            {"13.1", PMD + "; server_no_context_takeover"},
            {"13.2", PMD + "; client_no_context_takeover"},
            {"13.3", PMD + "; server_max_window_bits=9"},
            {"13.4", PMD + "; server_max_window_bits=15"},
            {"13.5", PMD + "; server_no_context_takeover; client_no_context_takeover"},
            {"13.6", PMD + "; client_no_context_takeover; server_max_window_bits=9"},
            {"13.7", PMD + "; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=15"}};
        final int[] sizes = {16, 1024, 16384, 65536};
        for (final String[] p : parameters)
        {
            for (int i = 0; i < sizes.length; i++)
            {
                cases.add(messages(p[0] + "." + (i + 1), "'" + p[1] + "', 10 repeated text messages of " + sizes[i] + " bytes",
                    p[1], TEXT, 10, sizes[i], 0, true));
            }
        }
        return cases.stream().map(c -> c.toTest(reactor));
    }

    @TestFactory
    Stream<DynamicTest> extensionEdges()
    {
        final Deflater server = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        final byte[] first = utf8("first message, compressed");
        final byte[] firstFrame = frame(true, RSV1, TEXT, Frames.deflateMessage(server, first));
        final byte[] emptyFrame = frame(true, RSV1, TEXT, Frames.deflateMessage(server, new byte[0]));
        final byte[] afterEmpty = utf8("after the empty one");
        final byte[] afterEmptyFrame = frame(true, RSV1, TEXT, Frames.deflateMessage(server, afterEmpty));
        server.end();
        final Deflater naive = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        final byte[] naiveFirst = frame(true, RSV1, TEXT, Frames.deflateMessage(naive, first));
        final byte[] naiveRepeat = frame(true, RSV1, TEXT, Frames.deflateMessage(naive, first)); // a back-reference into the first
        naive.end();
        final byte[] hello = utf8("Hello, compressed world");
        final byte[] plain = utf8("sent without compression on a compressed connection");

        final Deflater finishing = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        finishing.setInput(hello);
        finishing.finish();
        final byte[] finalBlock = new byte[256];
        final int finalLength = finishing.deflate(finalBlock);
        finishing.end();
        final byte[] afterFinal = frame(true, RSV1, TEXT, Frames.deflateMessage(new Deflater(Deflater.DEFAULT_COMPRESSION, true), hello));

        final byte[] bomb = Frames.deflateMessage(new Deflater(Deflater.BEST_COMPRESSION, true), new byte[MIB]);
        return Stream.of(
            FuzzCase.of("12.x.1", "empty compressed message after a non-empty one, then another (client must send an empty stored block)")
                .extensions(PMD).send(firstFrame, emptyFrame, afterEmptyFrame)
                .expectCompressedEcho(TEXT, first).expectCompressedEcho(TEXT, new byte[0]).expectCompressedEcho(TEXT, afterEmpty),
            FuzzCase.of("12.x.2", "uncompressed message (RSV1 clear) on a compressed connection -> delivered, echoed compressed")
                .extensions(PMD).send(Frames.text(plain)).expectCompressedEcho(TEXT, plain),
            FuzzCase.of("12.x.3", "message ending with a final block (BFINAL), then a new stream")
                .extensions(PMD).send(frame(true, RSV1, TEXT, Arrays.copyOf(finalBlock, finalLength)), afterFinal)
                .expectCompressedEcho(TEXT, hello).expectCompressedEcho(TEXT, hello),
            FuzzCase.of("12.x.4", "compressed fragments with a ping between")
                .extensions(PMD).send(fragmentsWithPing(hello)).expectPong(utf8("mid")).expectCompressedEcho(TEXT, hello),
            FuzzCase.of("12.x.5", "RSV1 on a continuation frame -> 1002").extensions(PMD)
                .send(frame(false, RSV1, TEXT, Arrays.copyOf(Frames.deflateMessage(new Deflater(6, true), hello), 4)),
                    frame(true, RSV1, CONTINUATION, new byte[]{1, 2}))
                .thenFails(WebSocketCloseCodes.PROTOCOL_ERROR),
            FuzzCase.of("12.x.6", "RSV1 on a ping -> 1002").extensions(PMD).send(frame(true, RSV1, PING, hello))
                .thenFails(WebSocketCloseCodes.PROTOCOL_ERROR),
            FuzzCase.of("12.x.7", "compressed payload that is not deflate data -> 1007").extensions(PMD)
                .send(frame(true, RSV1, BINARY, Frames.bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff))).thenFails(WebSocketCloseCodes.INVALID_PAYLOAD),
            FuzzCase.of("12.x.8", "1 MiB of zeros compressed to " + bomb.length + " bytes, limit 64 KiB -> 1009").extensions(PMD)
                .context(c -> c.maxMessageSize(64 << 10)).send(frame(true, RSV1, BINARY, bomb)).thenFails(WebSocketCloseCodes.MESSAGE_TOO_BIG),
            FuzzCase.of("12.x.9", "compressed text that inflates to invalid UTF-8 -> 1007").extensions(PMD)
                .send(frame(true, RSV1, TEXT, Frames.deflateMessage(new Deflater(6, true), Frames.bytes('o', 'k', 0xed, 0xa0, 0x80))))
                .thenFails(WebSocketCloseCodes.INVALID_PAYLOAD),
            FuzzCase.of("12.x.11", "empty compressed payload without an empty stored block (naive zlib sender) -> empty message, context intact")
                .extensions(PMD).send(naiveFirst, frame(true, RSV1, TEXT, new byte[0]), frame(false, RSV1, BINARY, new byte[0]),
                    frame(true, 0, CONTINUATION, new byte[0]), naiveRepeat)
                .expectCompressedEcho(TEXT, first).expectCompressedEcho(TEXT, new byte[0]).expectCompressedEcho(BINARY, new byte[0])
                .expectCompressedEcho(TEXT, first),
            FuzzCase.of("12.x.10", "extension offered but not accepted: RSV1 -> 1002")
                .send(frame(true, RSV1, TEXT, Frames.deflateMessage(new Deflater(6, true), hello))).thenFails(WebSocketCloseCodes.PROTOCOL_ERROR)
        ).map(c -> c.toTest(reactor));
    }

    /** Shows that the client_no_context_takeover check of 13.2 can fail: with context takeover, a repeat refers back. */
    @TestFactory
    Stream<DynamicTest> contextTakeoverIsObservable()
    {
        final byte[] repeated = utf8("{\"e\":\"depthUpdate\",\"s\":\"BTCUSDT\",\"b\":[[\"65000.10\",\"0.5\"]],\"a\":[[\"65000.20\",\"1.25\"]]}");
        return Stream.of(FuzzCase.of("13.x.1", "without client_no_context_takeover a repeated message cannot be inflated from an empty window")
            .extensions(PMD).send(frame(true, RSV1, TEXT, Frames.deflateMessage(new Deflater(6, true), repeated)))
            .send(frame(true, RSV1, TEXT, Frames.deflateMessage(new Deflater(6, true), repeated)))
            .step(peer ->
            {
                final ClientFrame one = peer.readFrame();
                final ClientFrame two = peer.readFrame();
                assertArrayEquals(repeated, inflateFresh(one.payload()));
                assertFalse(Arrays.equals(repeated, inflateFreshOrNull(two.payload())),
                    "the second message inflated from an empty window: the client reset its context without being asked to");
                final Inflater shared = new Inflater(true);
                assertArrayEquals(repeated, Frames.inflateMessage(shared, one.payload()));
                assertArrayEquals(repeated, Frames.inflateMessage(shared, two.payload()));
                assertEquals(true, two.payload().length < one.payload().length, "the repeat is a back-reference");
                shared.end();
            })
            .messages(2)).map(c -> c.toTest(reactor));
    }

    /**
     * {@code count} messages of {@code size} bytes, compressed by the server as {@code extensions}
     * says, in frames of {@code fragmentSize} compressed bytes (0: one frame), each echoed
     * compressed and checked.
     */
    private static FuzzCase messages(final String id, final String title, final String extensions, final int opcode,
        final int count, final int size, final int fragmentSize, final boolean repeat)
    {
        final boolean serverNoContext = extensions.contains("server_no_context_takeover");
        final boolean clientNoContext = extensions.contains("client_no_context_takeover");
        final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        final FuzzCase c = FuzzCase.of(id, title).extensions(extensions).step(peer -> peer.freshInflaterPerMessage(clientNoContext));
        final ByteArrayOutputStream frames = new ByteArrayOutputStream();
        final List<byte[]> payloads = new ArrayList<>();
        for (int n = 0; n < count; n++)
        {
            final byte[] payload = opcode == TEXT ? jsonLike(size, repeat ? 0 : n) : Frames.randomBytes(size, n);
            if (serverNoContext)
            {
                deflater.reset();
            }
            final byte[] compressed = Frames.deflateMessage(deflater, payload);
            frames.writeBytes(fragmentSize == 0 ? frame(true, RSV1, opcode, compressed) : compressedFragments(opcode, compressed, fragmentSize));
            payloads.add(payload);
        }
        deflater.end();
        c.send(frames.toByteArray());
        for (final byte[] payload : payloads)
        {
            c.expectCompressedEcho(opcode, payload);
        }
        return c;
    }

    /** A compressed message split into frames: RSV1 on the first only. */
    private static byte[] compressedFragments(final int opcode, final byte[] compressed, final int fragmentSize)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int offset = 0;
        do
        {
            final int end = Math.min(compressed.length, offset + fragmentSize);
            out.writeBytes(frame(end == compressed.length, offset == 0 ? RSV1 : 0, offset == 0 ? opcode : CONTINUATION,
                Arrays.copyOfRange(compressed, offset, end)));
            offset = end;
        }
        while (offset < compressed.length);
        return out.toByteArray();
    }

    private static byte[] fragmentsWithPing(final byte[] message)
    {
        final byte[] compressed = Frames.deflateMessage(new Deflater(6, true), message);
        final int half = compressed.length / 2;
        return Frames.concat(frame(false, RSV1, TEXT, Arrays.copyOf(compressed, half)), Frames.ping(utf8("mid")),
            frame(true, 0, CONTINUATION, Arrays.copyOfRange(compressed, half, compressed.length)));
    }

    /** Order-book-like JSON of exactly {@code size} bytes: compressible, different per {@code seed}. */
    private static byte[] jsonLike(final int size, final int seed)
    {
        final StringBuilder json = new StringBuilder(size + 64).append("{\"seq\":").append(seed).append(",\"bids\":[");
        int level = 0;
        while (json.length() < size)
        {
            json.append("[\"").append(65000 + (level * 7 + seed) % 1000).append('.').append(level % 100).append("\",\"")
                .append((level * 13 + seed) % 97).append(".5\"],");
            level++;
        }
        return Arrays.copyOf(json.toString().getBytes(StandardCharsets.US_ASCII), size);
    }

    private static byte[] inflateFresh(final byte[] compressed) throws DataFormatException
    {
        final Inflater inflater = new Inflater(true);
        try
        {
            return Frames.inflateMessage(inflater, compressed);
        }
        finally
        {
            inflater.end();
        }
    }

    private static byte[] inflateFreshOrNull(final byte[] compressed)
    {
        try
        {
            return inflateFresh(compressed);
        }
        catch (final DataFormatException expected)
        {
            return null;
        }
    }
}
