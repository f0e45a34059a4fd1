package io.loom.cli.run;

import java.util.ArrayList;
import java.util.List;

/**
 * The problems found while reading one config, each as {@code <json path>: <what is wrong>}.
 *
 * <p>Thread-safety: not thread-safe; one reader fills it.
 */
final class ConfigErrors
{
    private final List<String> errors = new ArrayList<>();

    /**
     * @param path    the JSON path of the bad field, {@code $.stages[0].class}.
     * @param problem what is wrong and what is allowed.
     */
    void add(final String path, final String problem)
    {
        errors.add(path + ": " + problem);
    }

    /** @return the number of problems so far (a reader compares counts to know whether a part was clean). */
    int count()
    {
        return errors.size();
    }

    /** @throws RunConfigException if any problem was found. */
    void throwIfAny() throws RunConfigException
    {
        if (!errors.isEmpty())
        {
            throw new RunConfigException(errors);
        }
    }
}
