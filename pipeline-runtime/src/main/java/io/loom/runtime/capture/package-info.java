/**
 * Loom's text capture format, version 1 ({@code data/FORMAT.md}): how recorded exchange sessions
 * enter and leave Loom in a form people can read, diff and share.
 *
 * <pre>
 *   *.capture[.gz] ──▶ CaptureReader ──▶ header() + next() … (streaming, strict, one record at a time)
 *                            │
 *                            └──▶ Capture.load ──▶ Capture (in memory: one payload buffer + primitive columns)
 *   CaptureHeader + records ──▶ CaptureWriter ──▶ *.capture[.gz]
 * </pre>
 *
 * <p>Every violation of the format is a {@link io.loom.runtime.capture.CaptureFormatException}
 * naming the file, the line and a {@link io.loom.runtime.capture.CaptureFormatException.Reason}.
 */
package io.loom.runtime.capture;
