package io.loom.cli.run;

import java.util.List;

/**
 * A {@code loom run} config that cannot be run: every problem found, each one line naming the JSON
 * path of the bad field and what is allowed there ({@code $.sources[1].venue: "binanse" is not a
 * venue; allowed: binance-spot, ...}).
 *
 * <p>Thread-safety: immutable.
 */
public final class RunConfigException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final transient List<String> errors;

    /**
     * @param errors the problems, at least one: the top-level fields', then the sources', the stages' and the journal's.
     */
    public RunConfigException(final List<String> errors)
    {
        super(errors.getFirst() + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""));
        this.errors = List.copyOf(errors);
    }

    /** @return every problem, one line each: the top-level fields', then the sources', the stages' and the journal's. */
    public List<String> errors()
    {
        return errors;
    }
}
