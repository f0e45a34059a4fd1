package io.loom.bench.journal;

import io.loom.runtime.journal.MappedPageAdvice;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What one 4 KiB page of a journal file costs the writing thread on this machine, by the way the
 * page comes to be mapped: the standalone harness behind the journal8 figures (no JMH: the figures
 * are the calling thread's CPU time, user and system apart, and its page faults).
 *
 * <pre>
 *   fresh sparse file ──map──▶ touch:    store every byte (a fault per fault-around window; what Chronicle does)
 *                              populate: madvise(MADV_POPULATE_WRITE) one chunk, then store into it
 *   the same file again ─map─▶ rewrite:  store every byte of pages already in the page cache
 *   fresh sparse file ──map──▶ huge:     madvise(MADV_HUGEPAGE), then store (2 MiB folios, one entry each)
 *                              random:   madvise(MADV_RANDOM), then store (no read-ahead zero-fill window)
 *                              rand+pop: madvise(MADV_RANDOM), then populate each chunk before storing
 *                              huge+rand: both advices: one 2 MiB folio per fault, no read-around beyond it
 *   fresh file ──────────────▶ pwrite:   FileChannel.write of the chunk from a direct buffer (no mapping)
 * </pre>
 *
 * <p>Variants run alternated, rounds times, each on its own file of the given size in the given
 * directory. Per variant: CPU ns per 4 KiB page (user + system), the share spent in the populate
 * calls, minor faults per page (a fault that had to read a folio in counts as major, not here), and the most CPU time one page store or one populate call took (one
 * fault's work, which a non-preemptible kernel does not interrupt: a stall for a thread waiting for
 * that core). Timing each store adds ~1 µs of CPU per page to every variant alike.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.loom.bench.journal.MappedPageCostHarness [MiB per file, 64]
 * [chunk KiB, 1024] [rounds, 3] [directory, /tmp]}
 *
 * <p>Thread-safety: a main program on one thread.
 */
public final class MappedPageCostHarness
{
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private static final int PAGE = 4096;
    private static final int HUGE = 1;
    private static final int RANDOM = 2;
    private static final int HUGE_RANDOM = 3;

    private MappedPageCostHarness()
    {
    }

    /**
     * @param args see the class comment.
     * @throws IOException if a file cannot be written.
     */
    public static void main(final String[] args) throws IOException
    {
        final long fileBytes = (long)arg(args, 0, 64) << 20;
        final int chunkBytes = arg(args, 1, 1024) << 10;
        final int rounds = arg(args, 2, 3);
        final Path directory = Path.of(args.length > 3 ? args[3] : "/tmp");
        final UnsafeBuffer source = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(chunkBytes));
        for (int i = 0; i < chunkBytes; i++)
        {
            source.putByte(i, (byte)('a' + i % 26));
        }
        System.out.printf(Locale.ROOT, "# %d MiB per file, %d KiB chunks, %d rounds, %s, madvise(MADV_POPULATE_WRITE) %s%n",
            fileBytes >> 20, chunkBytes >> 10, rounds, directory, MappedPageAdvice.isAvailable() ? "available" : "UNAVAILABLE");
        System.out.printf(Locale.ROOT, "%-9s %5s %12s %10s %10s %12s %12s %12s%n",
            "variant", "round", "cpu ns/page", "user", "sys", "populate ns", "faults/page", "max cpu µs");
        for (int round = 1; round <= rounds; round++)
        {
            final Path touched = directory.resolve("journal8-touch-" + round + ".bin");
            final Path populated = directory.resolve("journal8-populate-" + round + ".bin");
            final Path written = directory.resolve("journal8-pwrite-" + round + ".bin");
            final Path huge = directory.resolve("journal8-huge-" + round + ".bin");
            final Path random = directory.resolve("journal8-random-" + round + ".bin");
            final Path randomPopulated = directory.resolve("journal8-randpop-" + round + ".bin");
            final Path hugeRandom = directory.resolve("journal8-hugerand-" + round + ".bin");
            try
            {
                mapped("touch", round, touched, fileBytes, chunkBytes, source, false, 0);
                mapped("populate", round, populated, fileBytes, chunkBytes, source, true, 0);
                mapped("rewrite", round, touched, fileBytes, chunkBytes, source, false, 0);
                mapped("huge", round, huge, fileBytes, chunkBytes, source, false, HUGE);
                mapped("random", round, random, fileBytes, chunkBytes, source, false, RANDOM);
                mapped("rand+pop", round, randomPopulated, fileBytes, chunkBytes, source, true, RANDOM);
                mapped("huge+rand", round, hugeRandom, fileBytes, chunkBytes, source, false, HUGE_RANDOM);
                pwrite(round, written, fileBytes, chunkBytes, source);
            }
            finally
            {
                Files.deleteIfExists(touched);
                Files.deleteIfExists(populated);
                Files.deleteIfExists(written);
                Files.deleteIfExists(huge);
                Files.deleteIfExists(random);
                Files.deleteIfExists(randomPopulated);
                Files.deleteIfExists(hugeRandom);
            }
        }
    }

    private static void mapped(
        final String variant,
        final int round,
        final Path file,
        final long fileBytes,
        final int chunkBytes,
        final UnsafeBuffer source,
        final boolean populate,
        final int advice) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"); FileChannel channel = raf.getChannel())
        {
            raf.setLength(fileBytes);
            final MappedByteBuffer mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, fileBytes);
            final UnsafeBuffer target = new UnsafeBuffer(mapping);
            long populateNs = 0;
            final int adviceErrno = (advice == HUGE || advice == HUGE_RANDOM ? MappedPageAdvice.adviseHugePages(target.addressOffset(), fileBytes) : 0) |
                (advice == RANDOM || advice == HUGE_RANDOM ? MappedPageAdvice.adviseRandomAccess(target.addressOffset(), fileBytes) : 0);
            if (adviceErrno != 0)
            {
                throw new IOException("madvise failed, errno " + adviceErrno);
            }
            long longestNs = 0;
            final long faults0 = minorFaults();
            final long cpu0 = THREADS.getCurrentThreadCpuTime();
            final long user0 = THREADS.getCurrentThreadUserTime();
            for (long position = 0; position < fileBytes; position += chunkBytes)
            {
                if (populate)
                {
                    final long p0 = THREADS.getCurrentThreadCpuTime();
                    final int errno = MappedPageAdvice.populateForWrite(target.addressOffset() + position, chunkBytes);
                    final long spentNs = THREADS.getCurrentThreadCpuTime() - p0;
                    populateNs += spentNs;
                    longestNs = Math.max(longestNs, spentNs);
                    if (errno != 0)
                    {
                        throw new IOException("madvise failed, errno " + errno);
                    }
                }
                for (int page = 0; page < chunkBytes; page += PAGE)
                {
                    final long w0 = THREADS.getCurrentThreadCpuTime();
                    target.putBytes((int)(position + page), source, page, PAGE);
                    longestNs = Math.max(longestNs, THREADS.getCurrentThreadCpuTime() - w0);
                }
            }
            report(variant + (target.addressOffset() % (2 << 20) == 0 ? "" : "*"), round, fileBytes, cpu0, user0, faults0, populateNs, longestNs);
        }
    }

    private static void pwrite(final int round, final Path file, final long fileBytes, final int chunkBytes, final UnsafeBuffer source)
        throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"); FileChannel channel = raf.getChannel())
        {
            final java.nio.ByteBuffer chunk = source.byteBuffer().duplicate();
            final long faults0 = minorFaults();
            final long cpu0 = THREADS.getCurrentThreadCpuTime();
            final long user0 = THREADS.getCurrentThreadUserTime();
            for (long position = 0; position < fileBytes; position += chunkBytes)
            {
                chunk.clear();
                while (chunk.hasRemaining())
                {
                    channel.write(chunk, position + chunk.position());
                }
            }
            report("pwrite", round, fileBytes, cpu0, user0, faults0, 0, 0);
        }
    }

    private static void report(
        final String variant, final int round, final long fileBytes, final long cpu0, final long user0, final long faults0, final long populateNs,
        final long longestNs)
        throws IOException
    {
        final long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        final long user = THREADS.getCurrentThreadUserTime() - user0;
        final long faults = minorFaults() - faults0;
        final double pages = (double)fileBytes / PAGE;
        System.out.printf(Locale.ROOT, "%-9s %5d %12.0f %10.0f %10.0f %12.0f %12.3f %12.0f%n",
            variant, round, cpu / pages, user / pages, (cpu - user) / pages, populateNs / pages, faults / pages, longestNs / 1e3);
    }

    /** @return the calling thread's minor page faults so far (field 10 of {@code /proc/thread-self/stat}). */
    private static long minorFaults() throws IOException
    {
        final String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
    }

    private static int arg(final String[] args, final int index, final int otherwise)
    {
        return args.length > index ? Integer.parseInt(args[index]) : otherwise;
    }
}
