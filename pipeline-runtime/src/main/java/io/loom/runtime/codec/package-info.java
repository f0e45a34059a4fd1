/**
 * Zero-allocation text decoding primitives for exchange JSON, read straight from the frame buffer:
 * {@link io.loom.runtime.codec.JsonCursor}, a strict pull tokenizer whose tokens are ranges of the
 * buffer ({@link io.loom.runtime.codec.JsonToken}); {@link io.loom.runtime.codec.AsciiDecimal},
 * exact decimal text to {@code long} mantissa and back to digits for checksums; and their typed
 * failures, {@link io.loom.runtime.codec.JsonFormatException} and
 * {@link io.loom.runtime.codec.DecimalFormatException}, each with a reason enum to count by.
 *
 * <pre>
 *   frame buffer ──▶ JsonCursor.wrap ──▶ next() … FIELD_NAME tokenEquals("b") … STRING
 *                                                     │
 *                       tokenAsDecimal(-8) ◀──────────┘──▶ tokenOffset/tokenLength (checksum bytes)
 *                              │
 *                       AsciiDecimal.parse ──▶ long mantissa ──▶ MarketEvent
 * </pre>
 *
 * <p>Fast paths, each exactly equal to the general path and falling back to it: a STRING or NUMBER
 * token that is a plain decimal ({@code [-]digits[.digits]}, at most 18 digits) is read while it is
 * scanned ({@code tokenUnscaledValue()}, {@code tokenScale()}), so a decoder that does not yet know
 * the exponent keeps those and later calls {@code AsciiDecimal.scale} instead of reading the text
 * again; {@code nextCompactStrings(n)} reads a whole compact level such as
 * {@code ["2683.80","0.0031"]} in one call; and a decoder that knows the exponents reads runs of
 * {@code ["price","quantity"]} levels straight to mantissas with
 * {@link io.loom.runtime.codec.DecimalPairs}, each byte once.
 *
 * <p>Venue decoders catch both exceptions per message, count them by reason (an array indexed by
 * {@code reason().ordinal()} allocates nothing), and drop or resync; the primitives keep no
 * counters themselves, since only the decoder knows which connection and message type failed.
 */
package io.loom.runtime.codec;
