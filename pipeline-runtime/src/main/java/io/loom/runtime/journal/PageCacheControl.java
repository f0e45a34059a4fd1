package io.loom.runtime.journal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steers the page cache of a file the journal writes, through its own read-only descriptor (JNA's
 * direct mapping of libc, as {@link MappedPageAdvice}): {@link #startWriteBack} asks the kernel to
 * start writing a range to disk without waiting ({@code sync_file_range(SYNC_FILE_RANGE_WRITE)}),
 * {@link #dropClean} drops a range's clean pages from the cache ({@code posix_fadvise(POSIX_FADV_DONTNEED)};
 * the kernel skips pages still dirty, under writeback or mapped). Neither changes the file's content
 * nor what a reader or a crashed process sees: the page cache is per file, whichever descriptor
 * steers it.
 *
 * <p>Where these calls are missing (not Linux, no JNA) {@link #isAvailable()} is false and every call
 * does nothing and returns -1. Refusals are returned as {@code errno}, never raised.
 *
 * <p>Thread-safety: stateless after class initialisation; any thread may call it. Calls allocate
 * nothing, except {@link #open} (the path) and the exception JNA builds when the kernel refuses one.
 */
final class PageCacheControl
{
    private static final Logger LOG = LoggerFactory.getLogger(PageCacheControl.class);
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 02000000;
    private static final int SYNC_FILE_RANGE_WRITE = 2;
    private static final int POSIX_FADV_DONTNEED = 4;
    private static final boolean AVAILABLE = register();

    private PageCacheControl()
    {
    }

    /** @return true if the calls are reachable here; false if every call of this class does nothing. */
    static boolean isAvailable()
    {
        return AVAILABLE;
    }

    /**
     * @param path the file.
     * @return a read-only descriptor of it; a negative {@code errno} if it cannot be opened; -1 if unavailable.
     */
    static int open(final String path)
    {
        if (!AVAILABLE)
        {
            return -1;
        }
        try
        {
            return open(path, O_RDONLY | O_CLOEXEC);
        }
        catch (final LastErrorException ex)
        {
            return -ex.getErrorCode();
        }
    }

    /** @param fd a descriptor {@link #open} returned; closed here. */
    static void closeFile(final int fd)
    {
        if (!AVAILABLE || fd < 0)
        {
            return;
        }
        try
        {
            close(fd);
        }
        catch (final LastErrorException ex)
        {
            LOG.debug("close({}) refused, errno {}", fd, ex.getErrorCode());
        }
    }

    /**
     * Starts writing the dirty pages of {@code [offset, offset + length)} to disk; does not wait for it.
     *
     * @param fd     a descriptor {@link #open} returned.
     * @param offset where the range starts in the file.
     * @param length its length in bytes.
     * @return 0 if started; the {@code errno} otherwise; -1 if unavailable.
     */
    static int startWriteBack(final int fd, final long offset, final long length)
    {
        if (!AVAILABLE)
        {
            return -1;
        }
        try
        {
            sync_file_range(fd, offset, length, SYNC_FILE_RANGE_WRITE);
            return 0;
        }
        catch (final LastErrorException ex)
        {
            return ex.getErrorCode();
        }
    }

    /**
     * Drops the clean, unmapped pages of {@code [offset, offset + length)} from the page cache, so the
     * kernel can hand the same memory out again for the next pages written.
     *
     * @param fd     a descriptor {@link #open} returned.
     * @param offset where the range starts in the file.
     * @param length its length in bytes.
     * @return 0 if done; the {@code errno} otherwise; -1 if unavailable.
     */
    static int dropClean(final int fd, final long offset, final long length)
    {
        if (!AVAILABLE)
        {
            return -1;
        }
        return posix_fadvise(fd, offset, length, POSIX_FADV_DONTNEED); // returns the error itself, sets no errno
    }

    private static native int open(String path, int flags) throws LastErrorException;

    private static native int close(int fd) throws LastErrorException;

    private static native int sync_file_range(int fd, long offset, long length, int flags) throws LastErrorException;

    private static native int posix_fadvise(int fd, long offset, long length, int advice);

    private static boolean register()
    {
        if (!Platform.isLinux())
        {
            return false;
        }
        try
        {
            Native.register(PageCacheControl.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            return true;
        }
        catch (final LinkageError ex)
        {
            LOG.info("JNA unavailable ({}): the journal's written pages stay in the page cache until the kernel evicts them", ex.toString());
            return false;
        }
    }
}
