package io.loom.cli.fibers;

/**
 * One line of a self-check report: which check, whether it passed, and what it measured.
 *
 * @param name    short name of the check, such as {@code spawn} or {@code timers}.
 * @param status  the outcome.
 * @param summary what was measured, in one line of plain text.
 */
public record CheckLine(String name, Status status, String summary)
{
    /** The outcome of one check. */
    public enum Status
    {
        /** The check ran and passed. */
        OK,
        /** The check ran and failed, or did not finish in time. */
        FAIL,
        /** The check could not run on this JVM (for example, allocation counting is unsupported); not a failure. */
        SKIPPED;

        /** @return the status as shown in reports: {@code ok}, {@code FAIL} or {@code skip}. */
        public String label()
        {
            return switch (this)
            {
                case OK -> "ok";
                case FAIL -> "FAIL";
                case SKIPPED -> "skip";
            };
        }
    }

    /**
     * @param name    short name of the check.
     * @param passed  whether it passed.
     * @param summary what was measured.
     * @return an {@link Status#OK} or {@link Status#FAIL} line.
     */
    static CheckLine of(final String name, final boolean passed, final String summary)
    {
        return new CheckLine(name, passed ? Status.OK : Status.FAIL, summary);
    }

    /** @return true unless the check failed. */
    public boolean passed()
    {
        return status != Status.FAIL;
    }
}
