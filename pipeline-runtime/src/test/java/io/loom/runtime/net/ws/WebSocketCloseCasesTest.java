package io.loom.runtime.net.ws;

import io.loom.runtime.fiber.FiberScheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.loom.runtime.net.ws.Frames.CLOSE;
import static io.loom.runtime.net.ws.Frames.CONTINUATION;
import static io.loom.runtime.net.ws.Frames.TEXT;
import static io.loom.runtime.net.ws.Frames.bytes;
import static io.loom.runtime.net.ws.Frames.close;
import static io.loom.runtime.net.ws.Frames.closePayload;
import static io.loom.runtime.net.ws.Frames.frame;
import static io.loom.runtime.net.ws.Frames.ping;
import static io.loom.runtime.net.ws.Frames.utf8;

/**
 * Autobahn TestSuite client cases 7 (closing): the client answers a close frame with one of its
 * own (echoing the code; 1000 for a close without a code), reports the peer's code and reason,
 * ignores everything after the close frame, and fails with 1002 on malformed close frames and
 * codes that may not be sent, 1007 on a reason that is not UTF-8.
 */
class WebSocketCloseCasesTest
{
    private static final int NORMAL = WebSocketCloseCodes.NORMAL;
    private static final int PROTOCOL_ERROR = WebSocketCloseCodes.PROTOCOL_ERROR;

    private static FiberScheduler reactor;

    @BeforeAll
    static void startReactor()
    {
        reactor = ClientFiber.startReactor("ws-close-cases");
    }

    @AfterAll
    static void stopReactor()
    {
        reactor.close();
    }

    @TestFactory
    Stream<DynamicTest> closeHandshake()
    {
        final byte[] hello = utf8("Hello World!");
        final byte[] big = Frames.asciiPattern(256 << 10, 71);
        return Stream.of(
            FuzzCase.of("7.1.1", "text echoed, then a normal close").send(Frames.text(hello)).expectEcho(TEXT, hello),
            FuzzCase.of("7.1.2", "close, then a second close -> one answer").send(close(NORMAL, ""), close(NORMAL, ""))
                .thenClosedByPeer(NORMAL, NORMAL, ""),
            FuzzCase.of("7.1.3", "close, then a ping -> no pong").send(close(NORMAL, ""), ping(hello)).thenClosedByPeer(NORMAL, NORMAL, ""),
            FuzzCase.of("7.1.4", "close, then a text -> not delivered").send(close(NORMAL, ""), Frames.text(hello)).thenClosedByPeer(NORMAL, NORMAL, ""),
            FuzzCase.of("7.1.5", "text fragment, close, continuation -> message dropped")
                .send(frame(false, 0, TEXT, utf8("fragment1")), close(NORMAL, ""), frame(true, 0, CONTINUATION, utf8("fragment2")))
                .thenClosedByPeer(NORMAL, NORMAL, ""),
            FuzzCase.of("7.1.6", "256 KiB text, close, ping -> text echoed, close answered, no pong")
                .send(Frames.text(big), close(NORMAL, ""), ping(hello)).expectEcho(TEXT, big).thenClosedByPeer(NORMAL, NORMAL, ""),
            FuzzCase.of("7.x.1", "close, then garbage that is not a frame -> ignored")
                .send(close(NORMAL, ""), bytes(0xff, 0xff, 0xff, 0xff, 0x00)).thenClosedByPeer(NORMAL, NORMAL, "")
        ).map(c -> c.toTest(reactor));
    }

    @TestFactory
    Stream<DynamicTest> closePayloads()
    {
        final String reason123 = "*".repeat(123);
        return Stream.of(
            FuzzCase.of("7.3.1", "close without payload -> answered with 1000, reported as 1005")
                .send(frame(true, 0, CLOSE, new byte[0])).thenClosedByPeer(NORMAL, WebSocketCloseCodes.NO_STATUS, ""),
            FuzzCase.of("7.3.2", "close with a 1-byte payload -> 1002").send(frame(true, 0, CLOSE, bytes(0x03))).thenFails(PROTOCOL_ERROR),
            FuzzCase.of("7.3.3", "close 1000 without reason").send(close(NORMAL, "")).thenClosedByPeer(NORMAL, NORMAL, ""),
            FuzzCase.of("7.3.4", "close 1000 with reason").send(close(NORMAL, "Hello World!")).thenClosedByPeer(NORMAL, NORMAL, "Hello World!"),
            FuzzCase.of("7.3.5", "close 1000 with a 123-byte reason").send(close(NORMAL, reason123)).thenClosedByPeer(NORMAL, NORMAL, reason123),
            FuzzCase.of("7.3.6", "close with a 124-byte reason (payload 126) -> 1002")
                .send(frame(true, 0, CLOSE, closePayload(NORMAL, utf8("*".repeat(124))))).thenFails(PROTOCOL_ERROR),
            FuzzCase.of("7.5.1", "close reason that is not UTF-8 -> 1007")
                .send(frame(true, 0, CLOSE, closePayload(NORMAL, bytes(0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xce, 0xbc, 0xce, 0xb5, 0xed, 0xa0, 0x80))))
                .thenFails(WebSocketCloseCodes.INVALID_PAYLOAD),
            FuzzCase.of("7.x.2", "close reason with multi-byte UTF-8").send(close(4001, "κόσμε 𝄞")).thenClosedByPeer(4001, 4001, "κόσμε 𝄞"),
            FuzzCase.of("7.x.3", "close reason ending inside a character -> 1007")
                .send(frame(true, 0, CLOSE, closePayload(NORMAL, bytes('o', 'k', 0xce)))).thenFails(WebSocketCloseCodes.INVALID_PAYLOAD)
        ).map(c -> c.toTest(reactor));
    }

    @TestFactory
    Stream<DynamicTest> closeCodes()
    {
        final List<FuzzCase> cases = new ArrayList<>();
        final int[] valid = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999};
        for (int i = 0; i < valid.length; i++)
        {
            cases.add(FuzzCase.of("7.7." + (i + 1), "valid close code " + valid[i] + " -> echoed")
                .send(close(valid[i], "")).thenClosedByPeer(valid[i], valid[i], ""));
        }
        final int[] registered = {1012, 1013, 1014};
        for (int i = 0; i < registered.length; i++)
        {
            cases.add(FuzzCase.of("7.7.x." + (i + 1), "IANA-registered close code " + registered[i] + " -> echoed")
                .send(close(registered[i], "")).thenClosedByPeer(registered[i], registered[i], ""));
        }
        final int[] invalid = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535};
        for (int i = 0; i < invalid.length; i++)
        {
            cases.add(FuzzCase.of("7.9." + (i + 1), "invalid close code " + invalid[i] + " -> 1002")
                .send(frame(true, 0, CLOSE, closePayload(invalid[i], new byte[0]))).thenFails(PROTOCOL_ERROR));
        }
        return cases.stream().map(c -> c.toTest(reactor));
    }
}
