/**
 * Decoding exchange JSON: Loom's {@link io.loom.runtime.codec.JsonCursor} and
 * {@link io.loom.runtime.codec.AsciiDecimal} against Jackson's streaming parser over the same
 * recorded frames.
 */
package io.loom.bench.codec;
