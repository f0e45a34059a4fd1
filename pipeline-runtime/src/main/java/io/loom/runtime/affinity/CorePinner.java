package io.loom.runtime.affinity;

/**
 * Binds the calling platform thread to one core. {@link CorePinning#AFFINITY} does it with
 * OpenHFT Affinity; tests inject one that refuses, to check what a refusal does.
 *
 * <p>Thread-safety: implementations are called concurrently, each call pinning its own thread.
 */
@FunctionalInterface
public interface CorePinner
{
    /**
     * Pins the calling platform thread to {@code cpu}, and checks that it now runs there only.
     *
     * @param cpu the core, 0 or more.
     * @throws PinningRefusedException saying why the thread does not now run on {@code cpu} only.
     */
    void pinCurrentThread(int cpu) throws PinningRefusedException;
}
