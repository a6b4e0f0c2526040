namespace Threadbook.Benchmarks.Comparison;

/// <summary>What a finished child process printed and how it exited.</summary>
internal sealed record ChildProcessResult(int ExitCode, string StandardOutput, string StandardError);
