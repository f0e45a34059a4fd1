package io.loom.runtime.fiber;

/** Started in a child JVM without {@code --add-opens java.base/java.lang}: must fail, naming the flag. */
public final class WithoutAddOpensMain
{
    private WithoutAddOpensMain()
    {
    }

    public static void main(final String[] args)
    {
        try
        {
            FiberScheduler.create("refused").close();
            System.out.println("the scheduler started without the flag");
            System.exit(1);
        }
        catch (final IllegalStateException ex)
        {
            System.out.println(ex.getMessage());
            System.exit(3);
        }
    }
}
