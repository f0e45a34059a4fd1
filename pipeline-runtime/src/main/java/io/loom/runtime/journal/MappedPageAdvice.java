package io.loom.runtime.journal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code madvise(2)} on the journal's file mappings, reached through JNA's direct mapping (JNA comes
 * with OpenHFT Affinity): {@link #adviseHugePages} and {@link #adviseRandomAccess} (what
 * {@link JournalChunkAdvisor} applies to each chunk), and {@link #populateForWrite}
 * ({@code MADV_POPULATE_WRITE}, Linux 5.14+: allocate, zero-fill and map a whole range in one call;
 * measured by {@code MappedPageCostHarness}, not used by the journal: it cost more CPU per page here).
 *
 * <p>Where {@code madvise} is missing (not Linux, no JNA) {@link #isAvailable()} is false and every
 * call does nothing and returns -1: callers then fault pages in by writing, as before. The kernel's
 * refusals are returned as {@code errno}, never raised: {@code EINVAL} for an advice it does not
 * know (an older kernel), {@code ENOMEM} for a range not mapped, {@code EFAULT} for a range past the
 * file's end.
 *
 * <p>Thread-safety: stateless after class initialisation; any thread may call it. Calling
 * allocates nothing, except the exception JNA builds when the kernel refuses the call.
 */
public final class MappedPageAdvice
{
    private static final Logger LOG = LoggerFactory.getLogger(MappedPageAdvice.class);
    /** {@code MADV_POPULATE_WRITE} from {@code <linux/mman.h>}. */
    private static final int MADV_POPULATE_WRITE = 23;
    /** {@code MADV_HUGEPAGE} from {@code <linux/mman.h>}. */
    private static final int MADV_HUGEPAGE = 14;
    /** {@code MADV_RANDOM} from {@code <linux/mman.h>}. */
    private static final int MADV_RANDOM = 1;
    /** The page size assumed for alignment (x86-64 and arm64 Linux default). */
    public static final long PAGE_BYTES = 4096;
    private static final boolean AVAILABLE = register();

    private MappedPageAdvice()
    {
    }

    /** @return true if {@code madvise} is reachable here; false if every call of this class does nothing. */
    public static boolean isAvailable()
    {
        return AVAILABLE;
    }

    /**
     * Maps every page of {@code [address, address + length)} for writing, allocating (and zero-filling)
     * the file's pages that do not exist yet.
     *
     * @param address the start, page-aligned, inside a shared read-write file mapping.
     * @param length  the bytes to populate, a multiple of {@link #PAGE_BYTES}.
     * @return 0 once the range is mapped; the {@code errno} the kernel returned otherwise
     *         ({@code ENOMEM}: not mapped, {@code EFAULT}: past the file's end); -1 if unavailable.
     */
    public static int populateForWrite(final long address, final long length)
    {
        return advise(address, length, MADV_POPULATE_WRITE);
    }

    /**
     * Asks the kernel to back {@code [address, address + length)} with 2 MiB folios mapped by one
     * page-table entry each where it can ({@code MADV_HUGEPAGE}; transparent huge pages in
     * {@code madvise} or {@code always} mode).
     *
     * @param address the start, page-aligned, inside a mapping.
     * @param length  the bytes to advise, a multiple of {@link #PAGE_BYTES}.
     * @return 0 if the advice was taken; the {@code errno} otherwise; -1 if unavailable.
     */
    public static int adviseHugePages(final long address, final long length)
    {
        return advise(address, length, MADV_HUGEPAGE);
    }

    /**
     * Turns read-ahead off for faults in {@code [address, address + length)} ({@code MADV_RANDOM}):
     * a fault on a page the file does not hold yet then allocates and zero-fills that page's folio
     * only, not a whole read-ahead window (up to the device's {@code read_ahead_kb}) in one go.
     *
     * @param address the start, page-aligned, inside a mapping.
     * @param length  the bytes to advise, a multiple of {@link #PAGE_BYTES}.
     * @return 0 if the advice was taken; the {@code errno} otherwise; -1 if unavailable.
     */
    public static int adviseRandomAccess(final long address, final long length)
    {
        return advise(address, length, MADV_RANDOM);
    }

    private static int advise(final long address, final long length, final int advice)
    {
        if (!AVAILABLE)
        {
            return -1;
        }
        try
        {
            madvise(address, length, advice);
            return 0;
        }
        catch (final LastErrorException ex)
        {
            return ex.getErrorCode();
        }
    }

    private static native int madvise(long address, long length, int advice) throws LastErrorException;

    private static boolean register()
    {
        if (!Platform.isLinux())
        {
            return false;
        }
        try
        {
            Native.register(MappedPageAdvice.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            final long probe = 0;
            madvise(probe, 0, MADV_RANDOM); // a zero-length range: 0 if the call is there
            return true;
        }
        catch (final LastErrorException ex)
        {
            LOG.info("madvise unavailable (errno {}): journal pages are faulted in as the kernel does by default", ex.getErrorCode());
            return false;
        }
        catch (final LinkageError ex)
        {
            LOG.info("JNA unavailable ({}): journal pages are faulted in as the kernel does by default", ex.toString());
            return false;
        }
    }
}
