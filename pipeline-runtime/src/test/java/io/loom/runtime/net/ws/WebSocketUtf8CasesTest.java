package io.loom.runtime.net.ws;

import io.loom.runtime.fiber.FiberScheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static io.loom.runtime.net.ws.Frames.BINARY;
import static io.loom.runtime.net.ws.Frames.CONTINUATION;
import static io.loom.runtime.net.ws.Frames.TEXT;
import static io.loom.runtime.net.ws.Frames.bytes;
import static io.loom.runtime.net.ws.Frames.concat;
import static io.loom.runtime.net.ws.Frames.frame;
import static io.loom.runtime.net.ws.Frames.utf8;

/**
 * Autobahn TestSuite client cases 6 (UTF-8 handling): valid texts, including multi-byte ones
 * split across fragments at every byte, and the invalid sequences of Markus Kuhn's UTF-8 decoder
 * stress test, which must fail with 1007 (fail-fast where the text arrives in fragments). With
 * validation off, text is delivered as it came.
 */
class WebSocketUtf8CasesTest
{
    private static final int INVALID = WebSocketCloseCodes.INVALID_PAYLOAD;
    /** "κόσμε", 11 bytes; valid prefixes end after bytes 2, 5, 7, 9 and 11. */
    private static final byte[] KOSME = bytes(0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xce, 0xbc, 0xce, 0xb5);
    private static final byte[] MIXED = utf8("Hello-µ@ßöäüàá-UTF-8!! κόσμε €𝄞✓");

    private static FiberScheduler reactor;

    @BeforeAll
    static void startReactor()
    {
        reactor = ClientFiber.startReactor("ws-utf8-cases");
    }

    @AfterAll
    static void stopReactor()
    {
        reactor.close();
    }

    @TestFactory
    Stream<DynamicTest> validText()
    {
        final List<FuzzCase> cases = new ArrayList<>();
        final byte[] empty = new byte[0];
        final byte[] hello = utf8("Hello-µ@ßöäüàá-UTF-8!!");
        cases.add(FuzzCase.of("6.1.1", "empty text").send(Frames.text(empty)).expectEcho(TEXT, empty));
        cases.add(FuzzCase.of("6.1.2", "text of 3 empty fragments")
            .send(frame(false, 0, TEXT, empty), frame(false, 0, CONTINUATION, empty), frame(true, 0, CONTINUATION, empty)).expectEcho(TEXT, empty));
        cases.add(FuzzCase.of("6.1.3", "empty, non-empty, empty fragments")
            .send(frame(false, 0, TEXT, empty), frame(false, 0, CONTINUATION, utf8("middle frame payload")), frame(true, 0, CONTINUATION, empty))
            .expectEcho(TEXT, utf8("middle frame payload")));
        cases.add(FuzzCase.of("6.2.1", "valid multi-byte text in one frame").send(Frames.text(hello)).expectEcho(TEXT, hello));
        cases.add(FuzzCase.of("6.2.2", "valid text in 2 fragments split between characters")
            .send(frame(false, 0, TEXT, Arrays.copyOf(hello, 7)), frame(true, 0, CONTINUATION, Arrays.copyOfRange(hello, 7, hello.length)))
            .expectEcho(TEXT, hello));
        cases.add(FuzzCase.of("6.2.3", "valid text, one frame delivered one byte at a time").sendChunked(Frames.text(hello), 1, 0).expectEcho(TEXT, hello));
        cases.add(FuzzCase.of("6.2.4", "κόσμε, one frame delivered one byte at a time").sendChunked(Frames.text(KOSME), 1, 0).expectEcho(TEXT, KOSME));
        cases.add(FuzzCase.of("6.5.1", "κόσμε").send(Frames.text(KOSME)).expectEcho(TEXT, KOSME));

        final FuzzCase everySplit = FuzzCase.of("6.x.1", "multi-byte text in 2 fragments split at every byte (" + (MIXED.length - 1) + " messages)");
        final FuzzCase perByte = FuzzCase.of("6.x.2", "multi-byte text in one fragment per byte");
        final FuzzCase threeWays = FuzzCase.of("6.x.3", "κόσμε𝄞 in 3 fragments split at every pair of bytes");
        for (int split = 1; split < MIXED.length; split++)
        {
            everySplit.send(frame(false, 0, TEXT, Arrays.copyOf(MIXED, split)), frame(true, 0, CONTINUATION, Arrays.copyOfRange(MIXED, split, MIXED.length)))
                .expectEcho(TEXT, MIXED);
        }
        perByte.send(Frames.fragmented(TEXT, MIXED, 1)).expectEcho(TEXT, MIXED);
        final byte[] clef = concat(KOSME, utf8("𝄞"));
        for (int a = 1; a < clef.length - 1; a++)
        {
            for (int b = a + 1; b < clef.length; b++)
            {
                threeWays.send(frame(false, 0, TEXT, Arrays.copyOf(clef, a)), frame(false, 0, CONTINUATION, Arrays.copyOfRange(clef, a, b)),
                    frame(true, 0, CONTINUATION, Arrays.copyOfRange(clef, b, clef.length))).expectEcho(TEXT, clef);
            }
        }
        cases.addAll(List.of(everySplit, perByte, threeWays));

        final String[][] valid = {
            {"6.7.1", "00"}, {"6.7.2", "c280"}, {"6.7.3", "e0a080"}, {"6.7.4", "f0908080"},
            {"6.9.1", "7f"}, {"6.9.2", "dfbf"}, {"6.9.3", "efbfbf"}, {"6.9.4", "f48fbfbf"},
            {"6.11.1", "ed9fbf"}, {"6.11.2", "ee8080"}, {"6.11.3", "efbfbd"}, {"6.11.4", "f48fbfbf"},
            {"6.23.1", "efbfbd"}, {"6.x.4", "efbbbf"}};
        for (final String[] c : valid)
        {
            final byte[] payload = HexFormat.of().parseHex(c[1]);
            cases.add(FuzzCase.of(c[0], "valid " + c[1]).send(Frames.text(payload)).expectEcho(TEXT, payload));
        }
        int nonCharacter = 1;
        for (int plane = 0; plane <= 16; plane++)
        {
            for (final int low : new int[]{0xFFFE, 0xFFFF})
            {
                final byte[] payload = utf8(new String(Character.toChars(plane << 16 | low)));
                cases.add(FuzzCase.of("6.22." + nonCharacter++, String.format("noncharacter U+%04X is valid UTF-8", plane << 16 | low))
                    .send(Frames.text(payload)).expectEcho(TEXT, payload));
            }
        }
        return cases.stream().map(c -> c.toTest(reactor));
    }

    @TestFactory
    Stream<DynamicTest> prefixesOfKosme()
    {
        final List<FuzzCase> cases = new ArrayList<>();
        for (int length = 1; length <= KOSME.length; length++)
        {
            final byte[] prefix = Arrays.copyOf(KOSME, length);
            final boolean whole = length == 2 || length == 5 || length == 7 || length == 9 || length == 11;
            final FuzzCase c = FuzzCase.of("6.6." + length, "first " + length + " bytes of κόσμε" + (whole ? "" : " (ends inside a character) -> 1007"))
                .send(Frames.text(prefix));
            cases.add(whole ? c.expectEcho(TEXT, prefix) : c.thenFails(INVALID));
        }
        return cases.stream().map(c -> c.toTest(reactor));
    }

    @TestFactory
    Stream<DynamicTest> invalidText()
    {
        final String[][] invalid = {
            {"6.3.1", "cebae1bdb9cf83cebcceb5eda080656469746564"},
            {"6.8.1", "f888808080"}, {"6.8.2", "fc8480808080"},
            {"6.10.1", "f7bfbfbf"}, {"6.10.2", "fbbfbfbfbf"}, {"6.10.3", "fdbfbfbfbfbf"},
            {"6.11.5", "f4908080"},
            {"6.12.1", "80"}, {"6.12.2", "bf"}, {"6.12.3", "80bf"}, {"6.12.4", "80bf80"}, {"6.12.5", "80bf80bf"},
            {"6.12.6", "80bf80bf80"}, {"6.12.7", "80bf80bf80bf"}, {"6.12.8", continuationBytes()},
            {"6.13.1", lonelyStarts(0xc0, 0xdf)}, {"6.13.2", lonelyStarts(0xe0, 0xef)}, {"6.13.3", lonelyStarts(0xf0, 0xf7)},
            {"6.13.4", lonelyStarts(0xf8, 0xfb)}, {"6.13.5", lonelyStarts(0xfc, 0xfd)},
            {"6.14.1", "c0"}, {"6.14.2", "e080"}, {"6.14.3", "f08080"}, {"6.14.4", "f8808080"}, {"6.14.5", "fc80808080"},
            {"6.14.6", "df"}, {"6.14.7", "efbf"}, {"6.14.8", "f7bfbf"}, {"6.14.9", "fbbfbfbf"}, {"6.14.10", "fdbfbfbfbf"},
            {"6.15.1", "c0e080f08080f8808080fc80808080dfefbff7bfbffbbfbfbffdbfbfbfbf"},
            {"6.16.1", "fe"}, {"6.16.2", "ff"}, {"6.16.3", "fefeffff"},
            {"6.17.1", "c0af"}, {"6.17.2", "e080af"}, {"6.17.3", "f08080af"}, {"6.17.4", "f8808080af"}, {"6.17.5", "fc80808080af"},
            {"6.18.1", "c1bf"}, {"6.18.2", "e09fbf"}, {"6.18.3", "f08fbfbf"}, {"6.18.4", "f887bfbfbf"}, {"6.18.5", "fc83bfbfbfbf"},
            {"6.19.1", "c080"}, {"6.19.2", "e08080"}, {"6.19.3", "f0808080"}, {"6.19.4", "f880808080"}, {"6.19.5", "fc8080808080"},
            {"6.20.1", "eda080"}, {"6.20.2", "edadbf"}, {"6.20.3", "edae80"}, {"6.20.4", "edafbf"}, {"6.20.5", "edb080"},
            {"6.20.6", "edbe80"}, {"6.20.7", "edbfbf"},
            {"6.21.1", "eda080edb080"}, {"6.21.2", "eda080edbfbf"}, {"6.21.3", "edadbfedb080"}, {"6.21.4", "edadbfedbfbf"},
            {"6.21.5", "edae80edb080"}, {"6.21.6", "edae80edbfbf"}, {"6.21.7", "edafbfedb080"}, {"6.21.8", "edafbfedbfbf"}};
        final List<FuzzCase> cases = new ArrayList<>();
        for (final String[] c : invalid)
        {
            final byte[] payload = HexFormat.of().parseHex(c[1]);
            cases.add(FuzzCase.of(c[0], "invalid " + (c[1].length() > 24 ? c[1].substring(0, 24) + "..." : c[1]) + " -> 1007")
                .send(Frames.text(payload)).thenFails(INVALID));
        }
        final byte[] surrogate = HexFormat.of().parseHex("cebae1bdb9cf83cebcceb5eda080656469746564");
        cases.add(FuzzCase.of("6.3.2", "invalid text in one fragment per byte -> 1007 (fail fast)")
            .send(Frames.fragmented(TEXT, surrogate, 1)).thenFails(INVALID));
        for (int split = 1; split < surrogate.length; split++)
        {
            final int at = split;
            final boolean failFast = split > 12; // the bad sequence is bytes 11..13: later splits fail on the first fragment
            cases.add(FuzzCase.of("6.x.5." + split, "invalid text split at byte " + split + (failFast ? ", first fragment alone -> 1007" : " -> 1007"))
                .send(frame(false, 0, TEXT, Arrays.copyOf(surrogate, split)))
                .step(peer ->
                {
                    if (!failFast)
                    {
                        peer.write(frame(true, 0, CONTINUATION, Arrays.copyOfRange(surrogate, at, surrogate.length)));
                    }
                })
                .thenFails(INVALID));
        }
        cases.add(FuzzCase.of("6.4.1", "valid fragment, then an invalid fragment, rest withheld -> 1007 without waiting (fail fast)")
            .send(frame(false, 0, TEXT, KOSME)).pause(20).send(frame(false, 0, CONTINUATION, bytes(0xf4, 0x90, 0x80, 0x80)))
            .thenFails(INVALID));
        cases.add(FuzzCase.of("6.4.2", "invalid sequence starting at the end of one fragment, proven invalid by the next -> 1007 (fail fast)")
            .send(frame(false, 0, TEXT, concat(KOSME, bytes(0xf4)))).pause(20).send(frame(false, 0, CONTINUATION, bytes(0x90)))
            .thenFails(INVALID));
        final byte[] oneFrame = Frames.text(concat(KOSME, bytes(0xf4, 0x90, 0x80, 0x80), utf8("edited")));
        cases.add(FuzzCase.of("6.4.3", "invalid text in one frame delivered in 3 chunks -> 1007 (checked when the frame is whole)")
            .send(Arrays.copyOf(oneFrame, 13)).pause(20).send(Arrays.copyOfRange(oneFrame, 13, 17)).pause(20)
            .send(Arrays.copyOfRange(oneFrame, 17, oneFrame.length)).thenFails(INVALID));
        cases.add(FuzzCase.of("6.4.4", "as 6.4.3, one byte at a time").sendChunked(oneFrame, 1, 0).thenFails(INVALID));
        cases.add(FuzzCase.of("6.x.6", "fragmented text ending inside a character -> 1007")
            .send(frame(false, 0, TEXT, utf8("abc")), frame(true, 0, CONTINUATION, bytes(0xce))).thenFails(INVALID));
        cases.add(FuzzCase.of("6.x.7", "valid message, then an invalid one -> echo, 1007")
            .send(Frames.text(KOSME), Frames.text(bytes(0xc0, 0xaf))).expectEcho(TEXT, KOSME).thenFails(INVALID));
        return cases.stream().map(c -> c.toTest(reactor));
    }

    @TestFactory
    Stream<DynamicTest> validationOffOrBinary()
    {
        final byte[] surrogate = bytes(0xed, 0xa0, 0x80);
        final byte[] overlong = bytes(0xc0, 0xaf);
        final byte[] truncated = concat(KOSME, bytes(0xce));
        return Stream.of(
            FuzzCase.of("6.x.8", "validation off: invalid text delivered as it came").context(c -> c.validateUtf8(false))
                .send(Frames.text(surrogate), Frames.text(overlong), Frames.fragmented(TEXT, truncated, 3), Frames.text(KOSME))
                .expectEcho(TEXT, surrogate).expectEcho(TEXT, overlong).expectEcho(TEXT, truncated).expectEcho(TEXT, KOSME),
            FuzzCase.of("6.x.9", "invalid UTF-8 in binary messages is not checked")
                .send(Frames.binary(surrogate), Frames.fragmented(BINARY, truncated, 2))
                .expectEcho(BINARY, surrogate).expectEcho(BINARY, truncated)
        ).map(c -> c.toTest(reactor));
    }

    private static String continuationBytes()
    {
        final StringBuilder hex = new StringBuilder();
        for (int b = 0x80; b <= 0xbf; b++)
        {
            hex.append(Integer.toHexString(b));
        }
        return hex.toString();
    }

    /** Each start byte from {@code first} to {@code last} followed by a space. */
    private static String lonelyStarts(final int first, final int last)
    {
        final StringBuilder hex = new StringBuilder();
        for (int b = first; b <= last; b++)
        {
            hex.append(Integer.toHexString(b)).append("20");
        }
        return hex.toString();
    }
}
