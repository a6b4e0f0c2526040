using System.Diagnostics;
using System.Text;
using Microsoft.DotNet.Interactive.Formatting;
using Xunit.Abstractions;

namespace Threadbook.Interactive.Tests;

/// <summary>
/// The reason the concurrency formatters exist, measured: .NET Interactive's default HTML for these types against
/// Threadbook's. Uses the process-wide formatter without a kernel, and leaves it at its defaults.
/// </summary>
public sealed class FormatterSizeTests(ITestOutputHelper output) : IDisposable
{
    [Fact]
    public void a_process_task_and_semaphore_slim_shrink_from_the_default_formatting_to_under_two_kilobytes()
    {
        using var process = Process.GetCurrentProcess();
        using var semaphore = new SemaphoreSlim(2);
        object[] values = [process, Task.FromResult(42), semaphore];

        Formatter.ResetToDefault();
        var defaults = values.Select(HtmlBytes).ToArray();
        ThreadbookFormatters.Register();
        var ours = values.Select(HtmlBytes).ToArray();

        for (var i = 0; i < values.Length; i++)
        {
            output.WriteLine($"{values[i].GetType().Name}: default {defaults[i]:N0} bytes, Threadbook {ours[i]:N0} bytes");
            ours[i].Should().BeLessThan(2048);
        }

        defaults[0].Should().BeGreaterThan(50 * ours[0], "the default formatting of a Process reflects every property (FACTS: ~440 KB)");
    }

    private static int HtmlBytes(object value) => Encoding.UTF8.GetByteCount(value.ToDisplayString("text/html"));

    public void Dispose() => Formatter.ResetToDefault();
}
