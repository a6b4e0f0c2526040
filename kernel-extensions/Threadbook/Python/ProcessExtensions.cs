using System.Diagnostics;

namespace Threadbook.Python;

/// <summary>Small safe queries on a <see cref="Process"/>.</summary>
internal static class ProcessExtensions
{
    /// <summary><see cref="Process.HasExited"/>, or true for a process that never started.</summary>
    public static bool HasEnded(this Process process)
    {
        try
        {
            return process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
