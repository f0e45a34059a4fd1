package io.loom.runtime.net.ws;

import io.loom.runtime.fiber.FiberScheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.loom.runtime.net.ws.Frames.BINARY;
import static io.loom.runtime.net.ws.Frames.PING;
import static io.loom.runtime.net.ws.Frames.RSV1;
import static io.loom.runtime.net.ws.Frames.RSV2;
import static io.loom.runtime.net.ws.Frames.RSV3;
import static io.loom.runtime.net.ws.Frames.TEXT;
import static io.loom.runtime.net.ws.Frames.binary;
import static io.loom.runtime.net.ws.Frames.frame;
import static io.loom.runtime.net.ws.Frames.ping;
import static io.loom.runtime.net.ws.Frames.pong;
import static io.loom.runtime.net.ws.Frames.text;
import static io.loom.runtime.net.ws.Frames.utf8;

/**
 * Autobahn TestSuite client cases 1 (framing), 2 (pings and pongs), 3 (reserved bits) and
 * 4 (reserved opcodes), played by the raw fuzz server against the echo client. Case ids follow
 * Autobahn's; ids with an "x" are additional cases of the same category.
 */
class WebSocketFramingCasesTest
{
    private static final int[] LENGTHS = {0, 125, 126, 127, 128, 65535, 65536};
    private static final int PROTOCOL_ERROR = WebSocketCloseCodes.PROTOCOL_ERROR;

    private static FiberScheduler reactor;

    @BeforeAll
    static void startReactor()
    {
        reactor = ClientFiber.startReactor("ws-framing-cases");
    }

    @AfterAll
    static void stopReactor()
    {
        reactor.close();
    }

    @TestFactory
    Stream<DynamicTest> framing()
    {
        final List<FuzzCase> cases = new ArrayList<>();
        for (int i = 0; i < LENGTHS.length; i++)
        {
            final byte[] payload = Frames.asciiPattern(LENGTHS[i], i);
            cases.add(FuzzCase.of("1.1." + (i + 1), "text message, payload length " + LENGTHS[i]).send(text(payload)).expectEcho(TEXT, payload));
            final byte[] bytes = Frames.randomBytes(LENGTHS[i], i);
            cases.add(FuzzCase.of("1.2." + (i + 1), "binary message, payload length " + LENGTHS[i]).send(binary(bytes)).expectEcho(BINARY, bytes));
        }
        final byte[] text = Frames.asciiPattern(65536, 8);
        final byte[] bytes = Frames.randomBytes(65536, 8);
        cases.add(FuzzCase.of("1.1.8", "text message of 65536 bytes delivered in 997-byte chunks").sendChunked(text(text), 997, 0).expectEcho(TEXT, text));
        cases.add(FuzzCase.of("1.2.8", "binary message of 65536 bytes delivered in 997-byte chunks").sendChunked(binary(bytes), 997, 0).expectEcho(BINARY, bytes));
        final byte[] small = Frames.randomBytes(300, 9);
        cases.add(FuzzCase.of("1.x.1", "header and payload delivered one byte at a time").sendChunked(binary(small), 1, 0).expectEcho(BINARY, small));
        cases.add(FuzzCase.of("1.x.2", "three messages in one write").send(text("a"), binary(small), text("c"))
            .expectEcho(TEXT, utf8("a")).expectEcho(BINARY, small).expectEcho(TEXT, utf8("c")));
        cases.add(FuzzCase.of("1.x.3", "126-byte payload with a 64-bit length (not minimal, allowed)")
            .send(nonMinimalLength(Frames.asciiPattern(126, 1))).expectEcho(TEXT, Frames.asciiPattern(126, 1)));
        cases.add(FuzzCase.of("1.x.4", "masked server frame -> 1002")
            .send(Frames.bytes(0x81, 0x85, 1, 2, 3, 4, 'h' ^ 1, 'e' ^ 2, 'l' ^ 3, 'l' ^ 4, 'o' ^ 1)).thenFails(PROTOCOL_ERROR));
        cases.add(FuzzCase.of("1.x.5", "64-bit length with the most significant bit set -> 1002")
            .send(Frames.bytes(0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 1)).thenFails(PROTOCOL_ERROR));
        return cases.stream().map(c -> c.toTest(reactor));
    }

    @TestFactory
    Stream<DynamicTest> pingsAndPongs()
    {
        final List<FuzzCase> cases = new ArrayList<>();
        final byte[] hello = utf8("Hello, world!");
        final byte[] binaryPayload = Frames.bytes(0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff);
        final byte[] max = Frames.asciiPattern(125, 2);
        cases.add(FuzzCase.of("2.1", "ping without payload -> pong without payload").send(ping(new byte[0])).expectPong(new byte[0]));
        cases.add(FuzzCase.of("2.2", "ping with text payload -> pong with it").send(ping(hello)).expectPong(hello));
        cases.add(FuzzCase.of("2.3", "ping with binary payload -> pong with it").send(ping(binaryPayload)).expectPong(binaryPayload));
        cases.add(FuzzCase.of("2.4", "ping with 125-byte payload -> pong with it").send(ping(max)).expectPong(max));
        cases.add(FuzzCase.of("2.5", "ping with 126-byte payload -> 1002").send(ping(Frames.asciiPattern(126, 2))).thenFails(PROTOCOL_ERROR));
        cases.add(FuzzCase.of("2.6", "ping with 125-byte payload delivered one byte at a time").sendChunked(ping(max), 1, 1).expectPong(max));
        cases.add(FuzzCase.of("2.7", "unsolicited pong without payload is ignored").send(pong(new byte[0])));
        cases.add(FuzzCase.of("2.8", "unsolicited pong with payload is ignored").send(pong(utf8("unsolicited pong payload"))));
        cases.add(FuzzCase.of("2.9", "unsolicited pong, then ping -> pong with the ping's payload")
            .send(pong(utf8("unsolicited")), ping(utf8("ping payload"))).expectPong(utf8("ping payload")));
        final FuzzCase tenPings = FuzzCase.of("2.10", "10 pings -> 10 pongs in order");
        final FuzzCase tenChunkedPings = FuzzCase.of("2.11", "10 pings delivered one byte at a time -> 10 pongs in order");
        for (int i = 0; i < 10; i++)
        {
            tenPings.send(ping(utf8("payload-" + i)));
            tenChunkedPings.sendChunked(ping(utf8("payload-" + i)), 1, 0);
        }
        for (int i = 0; i < 10; i++)
        {
            tenPings.expectPong(utf8("payload-" + i));
            tenChunkedPings.expectPong(utf8("payload-" + i));
        }
        cases.add(tenPings);
        cases.add(tenChunkedPings);
        cases.add(FuzzCase.of("2.x.1", "ping between two messages").send(text("before"), ping(hello), text("after"))
            .expectEcho(TEXT, utf8("before")).expectPong(hello).expectEcho(TEXT, utf8("after")));
        cases.add(FuzzCase.of("2.x.2", "pong with 126-byte payload -> 1002").send(pong(Frames.asciiPattern(126, 2))).thenFails(PROTOCOL_ERROR));
        return cases.stream().map(c -> c.toTest(reactor));
    }

    @TestFactory
    Stream<DynamicTest> reservedBits()
    {
        final byte[] hello = utf8("Hello");
        return Stream.of(
            FuzzCase.of("3.1", "text with RSV1 (no extension negotiated) -> 1002")
                .send(frame(true, RSV1, TEXT, hello)).thenFails(PROTOCOL_ERROR),
            FuzzCase.of("3.2", "text, then text with RSV2, then ping -> echo, 1002, no pong")
                .send(text(hello), frame(true, RSV2, TEXT, hello), ping(hello)).expectEcho(TEXT, hello).thenFails(PROTOCOL_ERROR),
            FuzzCase.of("3.3", "text, then text with RSV3, then ping, one write -> echo, 1002")
                .send(text(hello), frame(true, RSV3, TEXT, hello), ping(hello)).expectEcho(TEXT, hello).thenFails(PROTOCOL_ERROR),
            FuzzCase.of("3.4", "text, text with RSV1|RSV2, ping, delivered one byte at a time")
                .sendChunked(Frames.concat(text(hello), frame(true, RSV1 | RSV2, TEXT, hello), ping(hello)), 1, 0)
                .expectEcho(TEXT, hello).thenFails(PROTOCOL_ERROR),
            FuzzCase.of("3.5", "binary with RSV1|RSV3 -> 1002").send(frame(true, RSV1 | RSV3, BINARY, Frames.randomBytes(8, 3)))
                .thenFails(PROTOCOL_ERROR),
            FuzzCase.of("3.6", "ping with RSV2|RSV3 -> 1002").send(frame(true, RSV2 | RSV3, PING, hello)).thenFails(PROTOCOL_ERROR),
            FuzzCase.of("3.7", "close with RSV1|RSV2|RSV3 -> 1002")
                .send(frame(true, RSV1 | RSV2 | RSV3, Frames.CLOSE, Frames.closePayload(1000, new byte[0]))).thenFails(PROTOCOL_ERROR)
        ).map(c -> c.toTest(reactor));
    }

    @TestFactory
    Stream<DynamicTest> reservedOpcodes()
    {
        final List<FuzzCase> cases = new ArrayList<>();
        final byte[] hello = utf8("Hello");
        final int[][] groups = {{3, 4, 5, 6, 7}, {11, 12, 13, 14, 15}};
        for (int g = 0; g < groups.length; g++)
        {
            for (int i = 0; i < 5; i++)
            {
                final int opcode = groups[g][i];
                final String id = "4." + (g + 1) + "." + (i + 1);
                final byte[] payload = i % 2 == 1 ? Frames.asciiPattern(20, opcode) : new byte[0];
                final FuzzCase c = FuzzCase.of(id, (g == 0 ? "reserved data" : "reserved control") + " opcode " + opcode +
                    (i >= 2 ? " between a text and a ping" : "") + (i == 4 ? ", one byte at a time" : "") + " -> 1002");
                if (i < 2)
                {
                    c.send(frame(true, 0, opcode, payload));
                }
                else if (i < 4)
                {
                    c.send(text(hello), frame(true, 0, opcode, payload), ping(hello)).expectEcho(TEXT, hello);
                }
                else
                {
                    c.sendChunked(Frames.concat(text(hello), frame(true, 0, opcode, payload), ping(hello)), 1, 0).expectEcho(TEXT, hello);
                }
                cases.add(c.thenFails(PROTOCOL_ERROR));
            }
        }
        return cases.stream().map(c -> c.toTest(reactor));
    }

    /** A text frame whose length is in the 64-bit form although 16 bits would do. */
    private static byte[] nonMinimalLength(final byte[] payload)
    {
        final byte[] frame = new byte[10 + payload.length];
        frame[0] = (byte)0x81;
        frame[1] = 127;
        frame[8] = (byte)(payload.length >>> 8);
        frame[9] = (byte)payload.length;
        System.arraycopy(payload, 0, frame, 10, payload.length);
        return frame;
    }
}
