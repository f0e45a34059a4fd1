package io.loom.cli.run;

import io.loom.api.stage.Stage;
import io.loom.api.stage.StageFactory;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.Map;

/**
 * Loads the stage classes a {@code loom run} config names and checks them against the contract of
 * a configured stage:
 *
 * <ul>
 *     <li>a public, concrete class implementing {@link Stage}, on the class path;</li>
 *     <li>with a public constructor taking {@code Map<String, String>} (the config's {@code params},
 *     possibly empty: the constructor validates them and throws {@link IllegalArgumentException}
 *     naming the bad one), or else a public no-arg constructor (then {@code params} must be empty);</li>
 *     <li>whose constructor only builds state: threads, sockets and files belong in
 *     {@link Stage#onStart}, because {@code loom run --check} makes each stage once to check its params.</li>
 * </ul>
 *
 * <p>Thread-safety: stateless.
 */
final class StageClasses
{
    private StageClasses()
    {
    }

    /**
     * @param className the class named at {@code stage.path("class")}.
     * @param params    its params.
     * @param stage     the stage's fields, for the paths of problems.
     * @param errors    where problems go.
     * @return a factory making the stage with its params (checked by making one), or null if a problem was recorded.
     */
    static StageFactory factory(final String className, final Map<String, String> params, final JsonFields stage, final ConfigErrors errors)
    {
        final String classPath = stage.path("class");
        final Class<?> type;
        try
        {
            type = Class.forName(className, true, StageClasses.class.getClassLoader());
        }
        catch (final ClassNotFoundException ex)
        {
            errors.add(classPath, "no class \"" + className + "\" on the class path");
            return null;
        }
        catch (final LinkageError ex)
        {
            errors.add(classPath, className + " cannot be loaded: " + ex);
            return null;
        }
        if (!Stage.class.isAssignableFrom(type))
        {
            errors.add(classPath, className + " does not implement " + Stage.class.getName());
            return null;
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers()) || !Modifier.isPublic(type.getModifiers()))
        {
            errors.add(classPath, className + " is not a public concrete class");
            return null;
        }
        final Constructor<?> withParams = publicConstructor(type, Map.class);
        final Constructor<?> noArg = publicConstructor(type);
        if (withParams == null && noArg == null)
        {
            errors.add(classPath, className + " has no public constructor (Map<String, String>) or ()");
            return null;
        }
        if (withParams == null && !params.isEmpty())
        {
            errors.add(stage.path("params"), className + " takes no params: it has no public constructor (Map<String, String>)");
            return null;
        }
        final StageFactory factory = withParams != null ? () -> make(withParams, params) : () -> make(noArg);
        try
        {
            factory.create();
        }
        catch (final StageCreationException ex)
        {
            if (ex.getCause() instanceof IllegalArgumentException)
            {
                errors.add(stage.path("params"), ex.getCause().getMessage());
            }
            else
            {
                errors.add(classPath, className + " could not be made: " + ex.getCause());
            }
            return null;
        }
        return factory;
    }

    private static Constructor<?> publicConstructor(final Class<?> type, final Class<?>... parameterTypes)
    {
        try
        {
            return type.getConstructor(parameterTypes);
        }
        catch (final NoSuchMethodException ex)
        {
            return null;
        }
    }

    private static Stage make(final Constructor<?> constructor, final Object... arguments)
    {
        try
        {
            return (Stage)constructor.newInstance(arguments);
        }
        catch (final InvocationTargetException ex)
        {
            throw new StageCreationException(constructor.getDeclaringClass().getName(), ex.getCause());
        }
        catch (final ReflectiveOperationException | RuntimeException | ExceptionInInitializerError ex)
        {
            throw new StageCreationException(constructor.getDeclaringClass().getName(), ex);
        }
    }

    /** A configured stage's constructor failed; the cause is what it threw. */
    static final class StageCreationException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        StageCreationException(final String className, final Throwable cause)
        {
            super(className + " could not be made: " + cause, cause);
        }
    }
}
