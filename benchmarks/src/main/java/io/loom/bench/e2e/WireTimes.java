package io.loom.bench.e2e;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * When each stamped update left the paced sender (its {@code write(2)} began, after encoding and TLS),
 * shared by the sender's JVM and the harness through a memory-mapped file ({@code --hops}): the
 * stamp in the frame is taken before the frame is encoded and encrypted, since it travels inside it,
 * so "wire -> book" needs the time the frame left, which only the sender knows.
 *
 * <pre>
 *   sender:  stamp ─▶ encode ─▶ wrap ─▶ {@link #onLeaving}(stamp, now) ─▶ write(2) ──▶ Loom ─▶ stage: {@link #leavingNs}(stamp)
 *   slot = hash(stamp) of {@value #SLOTS}: [stamp, left] — the stamp written last (release), checked on both sides of the read
 * </pre>
 *
 * <p>A slot holds the latest update whose stamp hashes to it; a reader that finds another stamp (a
 * collision, or a slot the sender is rewriting) gets 0 and the caller counts it, never a wrong time.
 * The table is written before the bytes are sent, so it is there when the message is applied. Both
 * sides use {@link System#nanoTime()} ({@code CLOCK_MONOTONIC}, one clock per machine).
 *
 * <p>Thread-safety: one writer thread (the sender), one reader thread (the stage thread), in two
 * processes; {@link #create} and {@link #close} on the harness thread.
 */
final class WireTimes implements AutoCloseable
{
    private static final int SLOTS = 1 << 16;
    private static final int SLOT_BYTES = 2 * Long.BYTES;
    private static final int LEFT_OFFSET = Long.BYTES;

    private final Path file;
    private final boolean owner;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer table;

    private WireTimes(final Path file, final boolean owner, final MappedByteBuffer mapped)
    {
        this.file = file;
        this.owner = owner;
        this.mapped = mapped;
        this.table = new UnsafeBuffer(mapped);
    }

    /**
     * The harness's side: a new zeroed table in a temporary file (in {@code /dev/shm} when there is one).
     *
     * @return the table; {@link #close} deletes its file.
     * @throws IOException if the file cannot be made.
     */
    static WireTimes create() throws IOException
    {
        final Path shm = Path.of("/dev/shm");
        final Path file = Files.isDirectory(shm) ? Files.createTempFile(shm, "loom-wire-times-", ".bin")
            : Files.createTempFile("loom-wire-times-", ".bin");
        Files.delete(file); // a unique name; Agrona maps a new file only where none is
        return new WireTimes(file, true, IoUtil.mapNewFile(file.toFile(), (long)SLOTS * SLOT_BYTES, true));
    }

    /**
     * The sender's side: maps the table the harness made.
     *
     * @param file the table's file ({@link #file()} of the harness's table).
     * @return the table; {@link #close} unmaps it.
     */
    static WireTimes open(final Path file)
    {
        return new WireTimes(file, false, IoUtil.mapExistingFile(file.toFile(), "wire times"));
    }

    /** @return the table's file, for the sender's command line. */
    Path file()
    {
        return file;
    }

    /**
     * The sender is about to write the update stamped {@code stampNs}: it leaves now.
     *
     * @param stampNs   the update's stamp ({@link System#nanoTime()} clock, as sent).
     * @param leavingNs when its {@code write(2)} begins.
     */
    void onLeaving(final long stampNs, final long leavingNs)
    {
        final int at = slot(stampNs);
        table.putLongVolatile(at, 0); // a reader between the writes below sees no stamp, not this time with the last one
        table.putLongVolatile(at + LEFT_OFFSET, leavingNs);
        table.putLongRelease(at, stampNs);
    }

    /**
     * @param stampNs a message's stamp.
     * @return when it left the sender, or 0 if the table does not hold it.
     */
    long leavingNs(final long stampNs)
    {
        final int at = slot(stampNs);
        if (table.getLongVolatile(at) != stampNs)
        {
            return 0;
        }
        final long leftNs = table.getLongVolatile(at + LEFT_OFFSET);
        return table.getLongVolatile(at) == stampNs ? leftNs : 0;
    }

    /** Unmaps the table; the harness's side also deletes the file. */
    @Override
    public void close() throws IOException
    {
        IoUtil.unmap(mapped);
        if (owner)
        {
            Files.deleteIfExists(file);
        }
    }

    /** @return the byte offset of {@code stampNs}'s slot; package-private for the collision test. */
    static int slot(final long stampNs)
    {
        return (int)((stampNs * 0x9E3779B97F4A7C15L) >>> 48) * SLOT_BYTES; // 16 high bits of a Fibonacci hash
    }
}
