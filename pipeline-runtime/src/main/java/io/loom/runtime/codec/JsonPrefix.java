package io.loom.runtime.codec;

import java.nio.charset.StandardCharsets;

/**
 * The fixed leading bytes of a message type whose venue always writes the same fields in the same
 * order, with holes for the values, matched eight bytes at a time: a fast path past a message's
 * envelope that hands the cursor over inside it, as if {@link JsonCursor#next()} had returned
 * every token up to the template's last bracket. A template may also be a whole message (its last
 * bracket closes the top-level value: a bookTicker, a trade): the cursor is then left to check
 * only that nothing follows.
 *
 * <pre>
 *   template  {"stream":"%s","data":{"e":"%s","E":%d,"s":"%s","U":%d,"u":%d,"b":[
 *   message   {"stream":"ethusdt@depth@100ms","data":{"e":"depthUpdate","E":1723161255308,...,"b":[["2683.8",...
 *   match     true: hole 0 = ethusdt@depth@100ms, 1 = depthUpdate, 2 = 1723161255308, ...;
 *             the cursor's current token is the BEGIN_ARRAY of "b", the next call reads its first level
 *   template  {"stream":"%s","data":{"u":%d,"s":"%s","b":"%s","B":"%s","a":"%s","A":"%s"}}
 *   match     true: the holes read; the current token is the last END_OBJECT, the next call END_OF_INPUT
 * </pre>
 *
 * <p>Holes: {@code %s} is a string's content without escapes or control characters (its quotes are
 * the template's), {@code %d} a non-negative JSON integer of at most {@value #MAX_INTEGER_DIGITS}
 * digits (no sign, no leading zero, no fraction or exponent: the template's next byte follows it).
 * {@code %v} is a {@code %s} hole whose bytes {@link #matchAtLayout} does not check: for a value
 * that the caller reads at once by a parse strict enough to prove them a string's content (a
 * decimal read as digits and one dot), and checks with {@link #isStringContent} where that parse
 * fails; a caller that finds a {@code %v} hole that is not one must not take the match (it
 * reads the message the general way, from a fresh {@link JsonCursor#wrap}).
 * Any difference (another field order, an extra field, whitespace, an escape, a longer number, a
 * message that ends early) makes {@link #match} return false with the cursor untouched, and the
 * caller reads the message the general way, which validates as always. So a match accepts exactly
 * what the general path accepts for these bytes, and reads the same values.
 *
 * <p>The layout of the last match is kept: a venue writes strings and numbers of the same lengths
 * message after message (a stream name, a symbol, a price). So a match is first tried at that
 * layout: the template's own bytes compared, eight at a time, at the offsets where the last match
 * had them; each {@code %s} hole's bytes compared with the last match's (a stream name, a symbol
 * and an event type are the same message after message) and, only if any differ, checked eight at
 * a time to hold no quote, backslash or control character (so the quote that the template has
 * after the hole closes the string there: the string is exactly as long as last time); each
 * integer hole's bytes checked to be exactly as
 * many digits as last time. All the loads are at known offsets, independent of each other,
 * instead of each hole's end being found before the next piece can be compared. Where anything
 * differs (a number with one more digit, a longer string), the template is matched as above and
 * its layout kept for the next message. Either way the result is the same. {@link #matchAtLayout}
 * and {@link #matchPieceByPiece} are the two tries apart, for a caller that tries several
 * templates on one message.
 *
 * <p>Thread-safety: not thread-safe (the holes of the last match are kept here); one per decoder.
 * Allocates only at construction.
 */
public final class JsonPrefix
{
    /** The most holes a template has. */
    public static final int MAX_HOLES = 16;
    /** The most digits of a {@code %d} hole (more: no match, the general path reads the number). */
    public static final int MAX_INTEGER_DIGITS = 15;

    private static final long QUOTES = '"' * FrameBytes.ONES;
    private static final long BACKSLASHES = '\\' * FrameBytes.ONES;
    private static final long CONTROL_LIMIT = 0x20 * FrameBytes.ONES;
    /** The most words the last match's layout is compared in (a longer prefix is matched piece by piece every time). */
    private static final int MAX_LAYOUT_WORDS = 32;

    /** Per literal piece (one more than the holes): its bytes as little-endian words, the last one partial. */
    private final long[][] pieceWords;
    private final long[][] pieceMasks;
    private final int[] pieceLengths;
    private final boolean[] holeIsString;
    /** False for a {@code %v} hole: its bytes are the caller's to check at the layout. */
    private final boolean[] holeIsCheckedAtLayout;
    private final int depth;
    private final long objectLevels;
    /** Where the last match started; hole offsets are kept relative to it. */
    private int matchStart;
    /** The bytes of the last match (the cursor's). */
    private FrameBytes matchBytes;
    /** The holes being found piece by piece (relative offsets, lengths): the last match's once it succeeds. */
    private final int[] scannedHoleOffsets;
    private final int[] scannedHoleLengths;
    private final long[] holeValues;

    /**
     * The last match's layout, relative to its start: the words of every byte outside its integer
     * holes (the last of a run masked to its bytes), the index after its last bracket and after its
     * last word load; {@code layoutWordCount} 0 when there is none to try.
     */
    private final long[] layoutWords = new long[MAX_LAYOUT_WORDS];
    private final long[] layoutMasks = new long[MAX_LAYOUT_WORDS];
    private final int[] layoutWordOffsets = new int[MAX_LAYOUT_WORDS];
    /**
     * The words of the {@code %s} holes (relative offsets); per word, the high bit of each of its bytes in a hole,
     * all bits of those bytes, and those bytes as the last match had them.
     */
    private final int[] stringWordOffsets = new int[MAX_LAYOUT_WORDS];
    private final long[] stringWordBytes = new long[MAX_LAYOUT_WORDS];
    private final long[] stringWordMasks = new long[MAX_LAYOUT_WORDS];
    private final long[] stringWordValues = new long[MAX_LAYOUT_WORDS];
    private int stringWordCount;
    /** The last match's holes (relative offsets, lengths), also the layout's. */
    private final int[] holeOffsets;
    private final int[] holeLengths;
    private int layoutWordCount;
    private int layoutEnd;
    private int layoutLoadEnd;
    private long layoutMatches;

    /**
     * @param template ASCII: the message's first bytes, valid JSON with {@code %s} inside quotes for
     *                 a string's content and {@code %d} for an integer, ending with the
     *                 {@code '{'} or {@code '['} after which the cursor continues, or with the
     *                 {@code '}'} or {@code ']'} that closes the top-level value (a whole message).
     * @throws IllegalArgumentException if the template does not start with {@code '{'} or
     *                                  {@code '['}, does not end with a bracket as above, or has
     *                                  too many holes.
     */
    public JsonPrefix(final String template)
    {
        final String[] pieces = template.split("%[sdv]", -1);
        final int holes = pieces.length - 1;
        if (holes > MAX_HOLES || template.isEmpty() || "{[".indexOf(template.charAt(0)) < 0 ||
            "{[}]".indexOf(template.charAt(template.length() - 1)) < 0 || pieces[pieces.length - 1].isEmpty())
        {
            throw new IllegalArgumentException("not a JSON prefix template: " + template);
        }
        pieceWords = new long[pieces.length][];
        pieceMasks = new long[pieces.length][];
        pieceLengths = new int[pieces.length];
        for (int p = 0; p < pieces.length; p++)
        {
            compilePiece(p, pieces[p].getBytes(StandardCharsets.US_ASCII));
        }
        holeIsString = new boolean[holes];
        holeIsCheckedAtLayout = new boolean[holes];
        for (int h = 0, at = 0; h < holes; h++)
        {
            at = template.indexOf('%', at + (h == 0 ? 0 : 1));
            holeIsString[h] = template.charAt(at + 1) != 'd';
            holeIsCheckedAtLayout[h] = template.charAt(at + 1) == 's';
        }
        int nesting = 0;
        long objects = 0;
        boolean inString = false;
        for (int i = 0; i < template.length(); i++)
        {
            final char c = template.charAt(i);
            if (c == '"')
            {
                inString = !inString;
            }
            else if (!inString && (c == '{' || c == '['))
            {
                objects = c == '{' ? objects | (1L << nesting) : objects & ~(1L << nesting);
                nesting++;
            }
            else if (!inString && (c == '}' || c == ']'))
            {
                nesting--;
                if (nesting < 0 || nesting == 0 && i < template.length() - 1)
                {
                    throw new IllegalArgumentException("not a JSON prefix template: " + template);
                }
            }
        }
        final boolean endsOpen = "{[".indexOf(template.charAt(template.length() - 1)) >= 0;
        if (inString || (endsOpen ? nesting < 1 : nesting != 0) || nesting > JsonCursor.MAX_DEPTH)
        {
            throw new IllegalArgumentException("not a JSON prefix template: " + template);
        }
        depth = nesting;
        objectLevels = objects;
        scannedHoleOffsets = new int[holes];
        scannedHoleLengths = new int[holes];
        holeValues = new long[holes];
        holeOffsets = new int[holes];
        holeLengths = new int[holes];
    }

    /**
     * Matches the template against the message the cursor has just been wrapped on: at the last
     * match's layout ({@link #matchAtLayout}), else piece by piece ({@link #matchPieceByPiece}).
     *
     * @param cursor wrapped, no token read yet (otherwise: no match).
     * @return true if the message starts as the template says: the holes are read, and the cursor
     * is after the template's last bracket, its current token that bracket's (BEGIN_OBJECT or
     * BEGIN_ARRAY; END_OBJECT or END_ARRAY for a whole message); false (cursor untouched)
     * otherwise, also for a message shorter than eight bytes, and at once for one whose first
     * bytes differ from the template's.
     */
    public boolean match(final JsonCursor cursor)
    {
        return matchAtLayout(cursor) || matchPieceByPiece(cursor);
    }

    /**
     * The cheap half of {@link #match}: true only if the message is laid out as the last match was
     * (every string and number as long as then). A message of another type fails within its first
     * words, so a caller with several templates tries them all this way before it tries any piece by
     * piece: whichever way a template matches, the holes and the cursor are the same.
     *
     * @param cursor wrapped, no token read yet (otherwise: no match).
     * @return as {@link #match}, false also when there is no last match or its layout differs.
     */
    public boolean matchAtLayout(final JsonCursor cursor)
    {
        if (layoutWordCount == 0 || !startsAsTemplate(cursor))
        {
            return false;
        }
        final int start = cursor.start();
        if (!matchLayout(cursor.bytes(), start, cursor.end()))
        {
            return false;
        }
        matchStart = start;
        matchBytes = cursor.bytes();
        layoutMatches++;
        cursor.prefixRead(start + layoutEnd - 1, depth, objectLevels);
        return true;
    }

    /**
     * The other half of {@link #match}: the template's pieces compared and its holes found one
     * after the other, whatever the last match's layout; a match's layout is kept for
     * {@link #matchAtLayout}.
     *
     * @param cursor wrapped, no token read yet (otherwise: no match).
     * @return as {@link #match}.
     */
    public boolean matchPieceByPiece(final JsonCursor cursor)
    {
        if (!startsAsTemplate(cursor))
        {
            return false;
        }
        final FrameBytes bytes = cursor.bytes();
        final int start = cursor.start();
        final int end = cursor.end();
        int at = matchPiece(bytes, start, end, 0);
        for (int h = 0; h < holeIsString.length && at >= 0; h++)
        {
            final int holeEnd = holeIsString[h] ? stringContentEnd(bytes, at, end) : integerEnd(bytes, at, end, h);
            if (holeEnd < 0)
            {
                return false;
            }
            scannedHoleOffsets[h] = at - start;
            scannedHoleLengths[h] = holeEnd - at;
            at = matchPiece(bytes, holeEnd, end, h + 1);
        }
        if (at < 0)
        {
            return false;
        }
        matchStart = start;
        matchBytes = bytes;
        keepLayout(bytes, start, at, end);
        cursor.prefixRead(at - 1, depth, objectLevels);
        return true;
    }

    /** @return true if the cursor has read nothing yet, and the message is eight bytes or more and starts with the template's first eight. */
    private boolean startsAsTemplate(final JsonCursor cursor)
    {
        final int start = cursor.start();
        return cursor.isAtStart() && cursor.end() - start >= Long.BYTES
            && (cursor.bytes().getLittleEndianLong(start) & pieceMasks[0][0]) == pieceWords[0][0];
    }

    /** @return how many matches were made at the last match's layout, without matching piece by piece (a count since construction). */
    public long layoutMatches()
    {
        return layoutMatches;
    }

    /**
     * @param hole 0 to the template's holes - 1.
     * @return where the hole's bytes start in the buffer (a string's first content byte).
     */
    public int offset(final int hole)
    {
        return matchStart + holeOffsets[hole];
    }

    /**
     * @param hole 0 to the template's holes - 1.
     * @return the hole's length in bytes (a string's content, without the quotes).
     */
    public int length(final int hole)
    {
        return holeLengths[hole];
    }

    /**
     * @param hole a {@code %d} hole.
     * @return its value, as {@link JsonCursor#tokenAsLong()} reads it.
     */
    public long value(final int hole)
    {
        return holeValues[hole];
    }

    /**
     * The message at {@code start} laid out as the last match: the template's bytes where that
     * match had them, each string hole free of quotes, backslashes and control characters, each
     * integer hole exactly as many digits (no leading zero), read into {@link #holeValues}. Every
     * load is at a known offset; the template's bytes come first, and the first word of them that
     * differs ends the try.
     *
     * @return true if so (the holes' offsets and lengths are the last match's), false if not (the hole
     * values may have been overwritten: the caller matches piece by piece, which sets them again).
     */
    private boolean matchLayout(final FrameBytes bytes, final int start, final int end)
    {
        if (start + layoutLoadEnd > end)
        {
            return false;
        }
        long differences = 0;
        for (int w = 0; w < layoutWordCount; w++)
        {
            differences |= (bytes.getLittleEndianLong(start + layoutWordOffsets[w]) & layoutMasks[w]) ^ layoutWords[w];
            if (differences != 0)
            {
                return false; // another message type: its strings' lengths move the template's bytes, a few words in
            }
        }
        long changed = 0;
        for (int w = 0; w < stringWordCount; w++)
        {
            changed |= (bytes.getLittleEndianLong(start + stringWordOffsets[w]) & stringWordMasks[w]) ^ stringWordValues[w];
        }
        if (changed != 0)
        {
            differences |= specialStringBytes(bytes, start);
        }
        long notDigits = 0;
        for (int h = 0; h < holeIsString.length; h++)
        {
            if (!holeIsString[h])
            {
                final int at = start + holeOffsets[h];
                final int digits = holeLengths[h];
                final long first = bytes.getLittleEndianLong(at) ^ FrameBytes.DIGIT_ZEROS;
                if (digits > 1)
                {
                    notDigits |= ((first & 0xFF) - 1) & FrameBytes.HIGH_BITS;
                }
                if (digits <= Long.BYTES)
                {
                    final long values = first << (Long.SIZE - Byte.SIZE * digits);
                    notDigits |= FrameBytes.nonDigitValues(values);
                    holeValues[h] = FrameBytes.eightDigits(values);
                }
                else
                {
                    final long more = (bytes.getLittleEndianLong(at + Long.BYTES) ^ FrameBytes.DIGIT_ZEROS) << (Long.SIZE * 2 - Byte.SIZE * digits);
                    notDigits |= FrameBytes.nonDigitValues(first) | FrameBytes.nonDigitValues(more);
                    holeValues[h] = FrameBytes.eightDigits(first) * FrameBytes.powerOfTen(digits - Long.BYTES) + FrameBytes.eightDigits(more);
                }
            }
        }
        return (differences | notDigits) == 0;
    }

    /** @return non-zero if a {@code %s} hole at the layout holds a quote, backslash or control character. */
    private long specialStringBytes(final FrameBytes bytes, final int start)
    {
        long special = 0;
        for (int w = 0; w < stringWordCount; w++)
        {
            // no false flag below a true one, so a byte outside the hole cannot hide one inside it
            final long word = bytes.getLittleEndianLong(start + stringWordOffsets[w]);
            special |= (FrameBytes.zeroBytes(word ^ QUOTES) | FrameBytes.zeroBytes(word ^ BACKSLASHES)
                | FrameBytes.bytesBelow(word, CONTROL_LIMIT)) & stringWordBytes[w];
        }
        return special;
    }

    /**
     * The check {@link #matchAtLayout} leaves out for a {@code %v} hole (and makes for a
     * {@code %s} one): after a match, for a hole whose value the caller could not read.
     *
     * @param hole a string hole of the match just made.
     * @return true if its bytes hold no quote, backslash or control character, so that the
     * template's quote after it closes the string there; false if not: the match must not be taken.
     */
    public boolean isStringContent(final int hole)
    {
        final FrameBytes bytes = matchBytes;
        final int at = matchStart + holeOffsets[hole];
        final int end = at + holeLengths[hole];
        for (int i = at; i < end; i++)
        {
            final byte b = bytes.get(i);
            if (b == '"' || b == '\\' || (b >= 0 && b < 0x20))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Keeps the holes of the match just made (found in {@link #scannedHoleOffsets} and
     * {@link #scannedHoleLengths}) and its layout, from {@code start} to {@code prefixEnd} (after its
     * last bracket): the words of every byte outside its holes, and the words of its string holes
     * (a word that would be read past the message's {@code end} read as its last eight bytes);
     * none if more than {@value #MAX_LAYOUT_WORDS} of either are needed.
     */
    private void keepLayout(final FrameBytes bytes, final int start, final int prefixEnd, final int end)
    {
        System.arraycopy(scannedHoleOffsets, 0, holeOffsets, 0, scannedHoleOffsets.length);
        System.arraycopy(scannedHoleLengths, 0, holeLengths, 0, scannedHoleLengths.length);
        final int length = end - start;
        int words = 0;
        int strings = 0;
        int loadEnd = 0;
        int from = 0;
        for (int h = 0; h <= holeIsString.length; h++)
        {
            final int to = h < holeIsString.length ? scannedHoleOffsets[h] : prefixEnd - start;
            for (int at = from; at < to; at += Long.BYTES)
            {
                if (words == MAX_LAYOUT_WORDS)
                {
                    layoutWordCount = 0;
                    return;
                }
                final int wordAt = Math.min(at, length - Long.BYTES);
                layoutWordOffsets[words] = wordAt;
                layoutMasks[words] = byteMask(at - wordAt, Math.min(Long.BYTES, to - at));
                layoutWords[words] = bytes.getLittleEndianLong(start + wordAt) & layoutMasks[words];
                words++;
                loadEnd = Math.max(loadEnd, wordAt + Long.BYTES);
            }
            if (h == holeIsString.length)
            {
                break;
            }
            final int holeEnd = scannedHoleOffsets[h] + scannedHoleLengths[h];
            if (holeIsCheckedAtLayout[h])
            {
                for (int at = scannedHoleOffsets[h]; at < holeEnd; at += Long.BYTES)
                {
                    if (strings == MAX_LAYOUT_WORDS)
                    {
                        layoutWordCount = 0;
                        return;
                    }
                    final int wordAt = Math.min(at, length - Long.BYTES);
                    stringWordOffsets[strings] = wordAt;
                    stringWordMasks[strings] = byteMask(at - wordAt, Math.min(Long.BYTES, holeEnd - at));
                    stringWordBytes[strings] = stringWordMasks[strings] & FrameBytes.HIGH_BITS;
                    stringWordValues[strings] = bytes.getLittleEndianLong(start + wordAt) & stringWordMasks[strings];
                    strings++;
                    loadEnd = Math.max(loadEnd, wordAt + Long.BYTES);
                }
            }
            else if (!holeIsString[h])
            {
                loadEnd = Math.max(loadEnd, scannedHoleOffsets[h] + (scannedHoleLengths[h] > Long.BYTES ? 2 * Long.BYTES : Long.BYTES));
            }
            from = holeEnd;
        }
        layoutEnd = prefixEnd - start;
        layoutLoadEnd = loadEnd;
        stringWordCount = strings;
        layoutWordCount = words;
    }

    /** @return a mask of {@code count} bytes (1 to 8) from byte {@code first} of a little-endian word. */
    private static long byteMask(final int first, final int count)
    {
        return (count == Long.BYTES ? -1L : (1L << (Byte.SIZE * count)) - 1) << (Byte.SIZE * first);
    }

    private void compilePiece(final int p, final byte[] piece)
    {
        final int words = (piece.length + Long.BYTES - 1) / Long.BYTES;
        pieceWords[p] = new long[words];
        pieceMasks[p] = new long[words];
        pieceLengths[p] = piece.length;
        for (int i = 0; i < piece.length; i++)
        {
            pieceWords[p][i / Long.BYTES] |= (piece[i] & 0xFFL) << (8 * (i % Long.BYTES));
            pieceMasks[p][i / Long.BYTES] |= 0xFFL << (8 * (i % Long.BYTES));
        }
    }

    /**
     * @return the index after piece {@code p} if the bytes from {@code at} are it, else -1 (also
     * when the message ends first). A word that would be read past the message's end is read as
     * the message's last eight bytes, shifted (the message is at least eight bytes long).
     */
    private int matchPiece(final FrameBytes bytes, final int at, final int end, final int p)
    {
        final long[] words = pieceWords[p];
        final long[] masks = pieceMasks[p];
        final int pieceEnd = at + pieceLengths[p];
        if (pieceEnd > end)
        {
            return -1;
        }
        for (int w = 0; w < words.length; w++)
        {
            final int wordAt = at + w * Long.BYTES;
            final long word = wordAt + Long.BYTES <= end
                ? bytes.getLittleEndianLong(wordAt)
                : bytes.getLittleEndianLong(end - Long.BYTES) >>> (Byte.SIZE * (wordAt + Long.BYTES - end));
            if ((word & masks[w]) != words[w])
            {
                return -1;
            }
        }
        return pieceEnd;
    }

    /**
     * @return the index of the quote that ends the string content at {@code at}, or -1 if an escape
     * or control character comes first, or the message ends first (its last bytes are read as its
     * last eight, shifted: the message is at least eight bytes long).
     */
    private static int stringContentEnd(final FrameBytes bytes, final int at, final int end)
    {
        for (int i = at; i < end; i += Long.BYTES)
        {
            final boolean inside = i + Long.BYTES <= end;
            final long word = inside ? bytes.getLittleEndianLong(i) : bytes.getLittleEndianLong(end - Long.BYTES) >>> (Byte.SIZE * (i + Long.BYTES - end));
            long special = FrameBytes.zeroBytes(word ^ QUOTES) | FrameBytes.zeroBytes(word ^ BACKSLASHES)
                | FrameBytes.bytesBelow(word, CONTROL_LIMIT);
            if (!inside)
            {
                special &= (1L << (Byte.SIZE * (end - i))) - 1;
            }
            if (special != 0)
            {
                final int quote = i + FrameBytes.firstFlagged(special);
                return bytes.get(quote) == '"' ? quote : -1;
            }
        }
        return -1;
    }

    /** Reads the integer at {@code at} into hole {@code h}; @return the index after its digits, or -1 if it is not one read here. */
    private int integerEnd(final FrameBytes bytes, final int at, final int end, final int h)
    {
        if (at + 2 * Long.BYTES > end)
        {
            return -1;
        }
        final long first = bytes.getLittleEndianLong(at);
        final int digits = FrameBytes.leadingDigits(first);
        if (digits == 0 || (digits > 1 && (first & 0xFF) == '0'))
        {
            return -1;
        }
        if (digits < Long.BYTES)
        {
            holeValues[h] = FrameBytes.leadingDigitsValue(first, digits);
            return at + digits;
        }
        final long second = bytes.getLittleEndianLong(at + Long.BYTES);
        final int more = FrameBytes.leadingDigits(second);
        if (more == Long.BYTES)
        {
            return -1;
        }
        final long high = FrameBytes.eightDigits(first);
        holeValues[h] = more == 0 ? high : high * FrameBytes.powerOfTen(more) + FrameBytes.leadingDigitsValue(second, more);
        return at + Long.BYTES + more;
    }
}
