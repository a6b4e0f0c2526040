using System.Runtime.CompilerServices;
using Threadbook.Fibers;
using Threadbook.Tests.Fibers;

namespace Threadbook.Tests.Conformance.Greenlet;

/// <summary>greenlet's test helpers, in C#: its <c>SomeError</c>, <c>fmain</c>, <c>send_exception</c> and module-level <c>switch</c>.</summary>
internal static class Greenlet
{
    /// <summary>greenlet's <c>switch(*args)</c> helper of test_throw.py: <c>getcurrent().parent.switch(...)</c>.</summary>
    public static object? SwitchToParent(object? value = null) => ParentOfCurrent().Switch(value);

    /// <summary>
    /// The running fiber's parent, read in a frame of its own: a Debug build keeps the temporary <c>Fiber.Current</c>
    /// alive in the frame that reads it, and a suspended fiber's own frames must not refer to it, or it is never dropped.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Fiber ParentOfCurrent() => Fiber.Current.Parent!;

    /// <summary>
    /// greenlet's <c>fmain(seen)</c>: waits in its parent; whatever is raised there is recorded and goes on; when
    /// resumed normally it raises <see cref="SomeError"/>.
    /// </summary>
    public static object? FMain(object? argument)
    {
        var seen = (List<Type>)argument!;
        try
        {
            ParentOfCurrent().Switch();
        }
        catch (Exception raised)
        {
            lock (seen)
            {
                seen.Add(raised.GetType());
            }

            throw;
        }

        throw new SomeError();
    }

    /// <summary>greenlet's <c>send_exception(g, exc)</c>: a child of <paramref name="target"/> raises <paramref name="error"/>, which goes to its parent.</summary>
    public static void SendException(Fiber target, Exception error)
    {
        var crasher = new Fiber(e => throw (Exception)e!, parent: target);
        crasher.Switch(error);
    }

    /// <summary>Python's <c>gc.collect()</c>: collects and runs the finalizers (a few rounds, as finalizers may free more).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Collect()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    public static void Run(Action scenario) => OnFreshThread.Run(scenario);
}
