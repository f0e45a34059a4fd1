package io.loom.runtime.net.ws;

import io.loom.runtime.fiber.FiberScheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static io.loom.runtime.net.ws.Frames.BINARY;
import static io.loom.runtime.net.ws.Frames.CONTINUATION;
import static io.loom.runtime.net.ws.Frames.TEXT;
import static io.loom.runtime.net.ws.Frames.frame;

/**
 * Autobahn TestSuite client cases 9 (limits and performance), scaled down for a shared CI machine
 * (messages up to 4 MiB instead of 16 MiB, 250 round trips instead of 1000), and the client's own
 * size limits: a frame over maxFrameSize or a message over maxMessageSize fails with 1009, as
 * soon as the header or fragment that breaks the limit is in.
 */
class WebSocketLimitsCasesTest
{
    private static final int KIB = 1 << 10;
    private static final int MIB = 1 << 20;
    private static final int TOO_BIG = WebSocketCloseCodes.MESSAGE_TOO_BIG;

    private static FiberScheduler reactor;

    @BeforeAll
    static void startReactor()
    {
        reactor = ClientFiber.startReactor("ws-limits-cases");
    }

    @AfterAll
    static void stopReactor()
    {
        reactor.close();
    }

    @TestFactory
    Stream<DynamicTest> largeMessages()
    {
        final List<FuzzCase> cases = new ArrayList<>();
        final int[] sizes = {64 * KIB, 256 * KIB, MIB, 4 * MIB};
        for (int i = 0; i < sizes.length; i++)
        {
            final byte[] text = Frames.asciiPattern(sizes[i], i);
            final byte[] binary = Frames.randomBytes(sizes[i], i);
            cases.add(FuzzCase.of("9.1." + (i + 1), "text message of " + sizes[i] / KIB + " KiB in one frame").send(Frames.text(text)).expectEcho(TEXT, text));
            cases.add(FuzzCase.of("9.2." + (i + 1), "binary message of " + sizes[i] / KIB + " KiB in one frame").send(Frames.binary(binary)).expectEcho(BINARY, binary));
        }
        final int[] frameSizes = {64, 256, KIB, 4 * KIB, 16 * KIB, 64 * KIB, 256 * KIB, MIB};
        final byte[] text = Frames.asciiPattern(MIB, 93);
        final byte[] binary = Frames.randomBytes(MIB, 94);
        for (int i = 0; i < frameSizes.length; i++)
        {
            cases.add(FuzzCase.of("9.3." + (i + 1), "text message of 1 MiB in frames of " + frameSizes[i] + " bytes")
                .send(Frames.fragmented(TEXT, text, frameSizes[i])).expectEcho(TEXT, text));
            cases.add(FuzzCase.of("9.4." + (i + 1), "binary message of 1 MiB in frames of " + frameSizes[i] + " bytes")
                .send(Frames.fragmented(BINARY, binary, frameSizes[i])).expectEcho(BINARY, binary));
        }
        final byte[] text4 = Frames.asciiPattern(4 * MIB, 95);
        final byte[] binary4 = Frames.randomBytes(4 * MIB, 96);
        cases.add(FuzzCase.of("9.3.9", "text message of 4 MiB in frames of 256 KiB").send(Frames.fragmented(TEXT, text4, 256 * KIB)).expectEcho(TEXT, text4));
        cases.add(FuzzCase.of("9.4.9", "binary message of 4 MiB in frames of 256 KiB").send(Frames.fragmented(BINARY, binary4, 256 * KIB))
            .expectEcho(BINARY, binary4));
        final int[] chunkSizes = {64, 128, 256, 512, 1024, 2048};
        for (int i = 0; i < chunkSizes.length; i++)
        {
            cases.add(FuzzCase.of("9.5." + (i + 1), "text message of 1 MiB in one frame, delivered in " + chunkSizes[i] + "-byte chunks")
                .sendChunked(Frames.text(text), chunkSizes[i], 0).expectEcho(TEXT, text));
            cases.add(FuzzCase.of("9.6." + (i + 1), "binary message of 1 MiB in one frame, delivered in " + chunkSizes[i] + "-byte chunks")
                .sendChunked(Frames.binary(binary), chunkSizes[i], 0).expectEcho(BINARY, binary));
        }
        return cases.stream().map(c -> c.toTest(reactor));
    }

    @TestFactory
    Stream<DynamicTest> roundTrips()
    {
        final List<FuzzCase> cases = new ArrayList<>();
        final int[] sizes = {0, 16, 64, 256, 1024, 4096};
        for (int i = 0; i < sizes.length; i++)
        {
            final FuzzCase text = FuzzCase.of("9.7." + (i + 1), "250 round trips of " + sizes[i] + "-byte text messages");
            final FuzzCase binary = FuzzCase.of("9.8." + (i + 1), "250 round trips of " + sizes[i] + "-byte binary messages");
            for (int n = 0; n < 250; n++)
            {
                final byte[] textPayload = Frames.asciiPattern(sizes[i], n);
                final byte[] binaryPayload = Frames.randomBytes(sizes[i], n);
                text.send(Frames.text(textPayload)).expectEcho(TEXT, textPayload);
                binary.send(Frames.binary(binaryPayload)).expectEcho(BINARY, binaryPayload);
            }
            cases.add(text);
            cases.add(binary);
        }
        return cases.stream().map(c -> c.toTest(reactor));
    }

    @TestFactory
    Stream<DynamicTest> sizeLimits()
    {
        final int frameLimit = 64 * KIB;
        final int messageLimit = 100 * KIB;
        final byte[] exactFrame = Frames.randomBytes(frameLimit, 1);
        final byte[] exactMessage = Frames.randomBytes(messageLimit, 2);
        return Stream.of(
            FuzzCase.of("9.x.1", "frame of maxFrameSize + 1 -> 1009").context(c -> c.maxFrameSize(frameLimit))
                .send(Frames.binary(new byte[frameLimit + 1])).thenFails(TOO_BIG),
            FuzzCase.of("9.x.2", "header of a 1 TiB frame, payload withheld -> 1009 without waiting for it").context(c -> c.maxFrameSize(frameLimit))
                .send(Frames.bytes(0x82, 127, 0, 0, 1, 0, 0, 0, 0, 0)).thenFails(TOO_BIG),
            FuzzCase.of("9.x.3", "frame of exactly maxFrameSize -> delivered").context(c -> c.maxFrameSize(frameLimit))
                .send(Frames.binary(exactFrame)).expectEcho(BINARY, exactFrame),
            FuzzCase.of("9.x.4", "fragments adding up to maxMessageSize + 1 -> 1009").context(c -> c.maxFrameSize(frameLimit).maxMessageSize(messageLimit))
                .send(Frames.fragmented(BINARY, new byte[messageLimit + 1], 40 * KIB)).thenFails(TOO_BIG),
            FuzzCase.of("9.x.5", "fragments adding up to exactly maxMessageSize -> delivered")
                .context(c -> c.maxFrameSize(frameLimit).maxMessageSize(messageLimit))
                .send(Frames.fragmented(BINARY, exactMessage, 40 * KIB)).expectEcho(BINARY, exactMessage),
            FuzzCase.of("9.x.6", "one frame within maxFrameSize but over maxMessageSize -> 1009").context(c -> c.maxFrameSize(frameLimit).maxMessageSize(32 * KIB))
                .send(Frames.text(new byte[40 * KIB])).thenFails(TOO_BIG),
            FuzzCase.of("9.x.7", "fragments past maxMessageSize, rest withheld -> 1009 without waiting")
                .context(c -> c.maxFrameSize(frameLimit).maxMessageSize(messageLimit))
                .send(frame(false, 0, TEXT, new byte[60 * KIB]), frame(false, 0, CONTINUATION, new byte[60 * KIB])).thenFails(TOO_BIG),
            FuzzCase.of("9.x.8", "text over the limit is refused before its UTF-8 is checked -> 1009")
                .context(c -> c.maxFrameSize(frameLimit).maxMessageSize(32 * KIB))
                .send(Frames.text(Arrays.copyOf(Frames.bytes(0xc0, 0xaf), 40 * KIB))).thenFails(TOO_BIG)
        ).map(c -> c.toTest(reactor));
    }
}
