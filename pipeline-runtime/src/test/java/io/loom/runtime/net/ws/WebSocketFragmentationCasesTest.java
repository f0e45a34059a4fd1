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
import static io.loom.runtime.net.ws.Frames.CONTINUATION;
import static io.loom.runtime.net.ws.Frames.PING;
import static io.loom.runtime.net.ws.Frames.PONG;
import static io.loom.runtime.net.ws.Frames.TEXT;
import static io.loom.runtime.net.ws.Frames.concat;
import static io.loom.runtime.net.ws.Frames.frame;
import static io.loom.runtime.net.ws.Frames.ping;
import static io.loom.runtime.net.ws.Frames.utf8;

/**
 * Autobahn TestSuite client cases 5 (fragmentation): reassembly, control frames between
 * fragments, continuations without a message, data frames inside one, fragmented control frames.
 * Each case comes in Autobahn's three deliveries where it has them: one write, frame by frame with
 * pauses, and one byte at a time.
 */
class WebSocketFragmentationCasesTest
{
    private static final int PROTOCOL_ERROR = WebSocketCloseCodes.PROTOCOL_ERROR;
    private static final byte[] F1 = utf8("fragment1");
    private static final byte[] F2 = utf8("fragment2");
    private static final byte[] F3 = utf8("fragment3");
    private static final byte[] F4 = utf8("fragment4");
    private static final byte[] F5 = utf8("fragment5");

    private static FiberScheduler reactor;

    @BeforeAll
    static void startReactor()
    {
        reactor = ClientFiber.startReactor("ws-fragmentation-cases");
    }

    @AfterAll
    static void stopReactor()
    {
        reactor.close();
    }

    @TestFactory
    Stream<DynamicTest> fragmentation()
    {
        final List<FuzzCase> cases = new ArrayList<>();
        cases.add(FuzzCase.of("5.1", "ping in 2 fragments -> 1002").send(frame(false, 0, PING, F1), frame(true, 0, CONTINUATION, F2))
            .thenFails(PROTOCOL_ERROR));
        cases.add(FuzzCase.of("5.2", "pong in 2 fragments -> 1002").send(frame(false, 0, PONG, F1), frame(true, 0, CONTINUATION, F2))
            .thenFails(PROTOCOL_ERROR));

        final byte[][] twoFragments = {frame(false, 0, TEXT, F1), frame(true, 0, CONTINUATION, F2)};
        threeDeliveries(cases, 3, "text in 2 fragments -> reassembled", twoFragments).forEach(c -> c.expectEcho(TEXT, concat(F1, F2)));

        final byte[][] withPing = {frame(false, 0, TEXT, F1), ping(utf8("pongme!")), frame(true, 0, CONTINUATION, F2)};
        threeDeliveries(cases, 6, "text in 2 fragments with a ping between -> pong, then the message", withPing)
            .forEach(c -> c.expectPong(utf8("pongme!")).expectEcho(TEXT, concat(F1, F2)));

        final byte[][] finContinuationFirst = {frame(true, 0, CONTINUATION, F1), Frames.text(F2)};
        threeDeliveries(cases, 9, "continuation (FIN) without a message, then text -> 1002", finContinuationFirst)
            .forEach(c -> c.thenFails(PROTOCOL_ERROR));

        final byte[][] continuationFirst = {frame(false, 0, CONTINUATION, F1), Frames.text(F2)};
        threeDeliveries(cases, 12, "continuation (no FIN) without a message, then text -> 1002", continuationFirst)
            .forEach(c -> c.thenFails(PROTOCOL_ERROR));

        cases.add(FuzzCase.of("5.15", "text in 2 fragments, then a continuation without a message -> echo, then 1002")
            .send(frame(false, 0, TEXT, F1), frame(true, 0, CONTINUATION, F2), frame(false, 0, CONTINUATION, F3), Frames.text(F4))
            .expectEcho(TEXT, concat(F1, F2)).thenFails(PROTOCOL_ERROR));
        final byte[] badSequence = concat(frame(false, 0, CONTINUATION, F1), frame(false, 0, TEXT, F2), frame(true, 0, CONTINUATION, F3));
        cases.add(FuzzCase.of("5.16", "(continuation, text, continuation) twice -> 1002").send(badSequence, badSequence).thenFails(PROTOCOL_ERROR));
        final byte[] badFinSequence = concat(frame(true, 0, CONTINUATION, F1), frame(false, 0, TEXT, F2), frame(true, 0, CONTINUATION, F3));
        cases.add(FuzzCase.of("5.17", "(FIN continuation, text, FIN continuation) twice -> 1002").send(badFinSequence, badFinSequence)
            .thenFails(PROTOCOL_ERROR));
        cases.add(FuzzCase.of("5.18", "text fragment, then a new text frame inside the message -> 1002")
            .send(frame(false, 0, TEXT, F1), frame(true, 0, TEXT, F2)).thenFails(PROTOCOL_ERROR));
        cases.add(FuzzCase.of("5.19", "text in 5 fragments with 2 pings between, each pong due before the next fragment")
            .send(frame(false, 0, TEXT, F1), frame(false, 0, CONTINUATION, F2), ping(utf8("pongme 1!")))
            .expectPong(utf8("pongme 1!"))
            .pause(50)
            .send(frame(false, 0, CONTINUATION, F3), frame(false, 0, CONTINUATION, F4), ping(utf8("pongme 2!")))
            .expectPong(utf8("pongme 2!"))
            .pause(50)
            .send(frame(true, 0, CONTINUATION, F5))
            .expectEcho(TEXT, concat(F1, F2, F3, F4, F5)));
        cases.add(FuzzCase.of("5.20", "as 5.19, every frame delivered one byte at a time")
            .sendChunked(concat(frame(false, 0, TEXT, F1), frame(false, 0, CONTINUATION, F2), ping(utf8("pongme 1!"))), 1, 0)
            .expectPong(utf8("pongme 1!"))
            .sendChunked(concat(frame(false, 0, CONTINUATION, F3), frame(false, 0, CONTINUATION, F4), ping(utf8("pongme 2!"))), 1, 0)
            .expectPong(utf8("pongme 2!"))
            .sendChunked(frame(true, 0, CONTINUATION, F5), 1, 0)
            .expectEcho(TEXT, concat(F1, F2, F3, F4, F5)));

        final byte[] binary = Frames.randomBytes(5000, 51);
        cases.add(FuzzCase.of("5.x.1", "binary in 3 fragments -> reassembled").send(Frames.fragmented(BINARY, binary, 2000))
            .expectEcho(BINARY, binary));
        final byte[] oneByteFragments = Frames.asciiPattern(1000, 52);
        cases.add(FuzzCase.of("5.x.2", "text in 1000 one-byte fragments -> reassembled").send(Frames.fragmented(TEXT, oneByteFragments, 1))
            .expectEcho(TEXT, oneByteFragments));
        cases.add(FuzzCase.of("5.x.3", "text of 3 empty fragments -> empty message")
            .send(frame(false, 0, TEXT, new byte[0]), frame(false, 0, CONTINUATION, new byte[0]), frame(true, 0, CONTINUATION, new byte[0]))
            .expectEcho(TEXT, new byte[0]));
        cases.add(FuzzCase.of("5.x.4", "binary with empty continuations between fragments")
            .send(frame(false, 0, BINARY, F1), frame(false, 0, CONTINUATION, new byte[0]), frame(true, 0, CONTINUATION, F2))
            .expectEcho(BINARY, concat(F1, F2)));
        cases.add(FuzzCase.of("5.x.5", "close frame between fragments -> echoed, message dropped")
            .send(frame(false, 0, TEXT, F1), Frames.close(1000, "mid-message"), frame(true, 0, CONTINUATION, F2))
            .thenClosedByPeer(1000, 1000, "mid-message"));
        cases.add(FuzzCase.of("5.x.6", "two fragmented messages back to back, binary then text")
            .send(Frames.fragmented(BINARY, binary, 999), Frames.fragmented(TEXT, oneByteFragments, 77))
            .expectEcho(BINARY, binary).expectEcho(TEXT, oneByteFragments));
        final byte[] large = Frames.randomBytes(200_000, 53);
        cases.add(FuzzCase.of("5.x.7", "fragmented message larger than the initial receive and assembly buffers")
            .context(c -> c.initialReceiveBufferSize(1024))
            .send(Frames.fragmented(BINARY, large, 30_000)).expectEcho(BINARY, large));
        return cases.stream().map(c -> c.toTest(reactor));
    }

    /**
     * Autobahn's three deliveries of the same frames, with consecutive case numbers: all in one
     * write; frame by frame with pauses; one byte at a time.
     */
    private static List<FuzzCase> threeDeliveries(final List<FuzzCase> cases, final int firstCase, final String title, final byte[][] frames)
    {
        final FuzzCase oneWrite = FuzzCase.of("5." + firstCase, title).send(frames);
        final FuzzCase framewise = FuzzCase.of("5." + (firstCase + 1), title + ", frame by frame");
        for (final byte[] frame : frames)
        {
            framewise.send(frame).pause(10);
        }
        final FuzzCase bytewise = FuzzCase.of("5." + (firstCase + 2), title + ", one byte at a time").sendChunked(concat(frames), 1, 0);
        final List<FuzzCase> three = List.of(oneWrite, framewise, bytewise);
        cases.addAll(three);
        return three;
    }
}
