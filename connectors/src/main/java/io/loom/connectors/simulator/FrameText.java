package io.loom.connectors.simulator;

import io.loom.runtime.capture.Capture;

/**
 * The text of the recorded frame being streamed, decoded at most once and only when something asks.
 *
 * <p>Thread-safety: not thread-safe; used on the simulator's event loop only.
 */
final class FrameText
{
    private final Capture capture;
    private int record = -1;
    private String text;

    FrameText(final Capture capture)
    {
        this.capture = capture;
    }

    /** Points at record {@code record} of the capture. */
    void wrap(final int record)
    {
        this.record = record;
        this.text = null;
    }

    /** @return the record's payload as a string. */
    String get()
    {
        if (text == null)
        {
            text = capture.payloadAsString(record);
        }
        return text;
    }
}
