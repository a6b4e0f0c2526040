namespace Threadbook.Rendering;

/// <summary>How threads are named in messages, reports and tables: <c>worker-1 (#12)</c>, or <c>thread #12</c> when unnamed.</summary>
internal static class ThreadLabel
{
    public static string Of(Thread thread) => Of(thread.ManagedThreadId, thread.Name);

    public static string Of(int managedThreadId, string? name) =>
        string.IsNullOrEmpty(name) ? $"thread #{managedThreadId}" : $"{name} (#{managedThreadId})";

    /// <summary>The current thread's label, for messages about what the caller did.</summary>
    public static string Current() => Of(Thread.CurrentThread);
}
