package io.loom.runtime.affinity;

/**
 * A {@link CorePinner} could not bind the calling thread to its core: no such core, no native
 * support, or the OS refused. The message says which and why.
 *
 * <p>Thread-safety: immutable.
 */
public final class PinningRefusedException extends Exception
{
    private static final long serialVersionUID = 1L;

    /** @param reason why the thread is not pinned ("the OS left affinity {0, 1}"). */
    public PinningRefusedException(final String reason)
    {
        super(reason);
    }
}
