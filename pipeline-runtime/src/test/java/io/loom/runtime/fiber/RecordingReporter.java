package io.loom.runtime.fiber;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link FiberReporter} that keeps what it is told, for assertions. */
final class RecordingReporter implements FiberReporter
{
    final List<String> slowFibers = new CopyOnWriteArrayList<>();
    final List<String> failedFibers = new CopyOnWriteArrayList<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();

    @Override
    public void onSlowSlice(final String fiberName, final long sliceNs)
    {
        slowFibers.add(fiberName);
    }

    @Override
    public void onFiberFailure(final String fiberName, final Throwable error)
    {
        failedFibers.add(fiberName);
        failures.add(error);
    }
}
