using Threadbook.Threading;

namespace Threadbook.Tests.Threading;

/// <summary>Collects the deadlock reports announced while it is alive, so a test finds the one about its own threads.</summary>
internal sealed class ReportCollector : IDisposable
{
    private readonly List<DeadlockReport> _reports = [];

    public ReportCollector() => DeadlockDetector.DeadlockDetected += OnDeadlock;

    public bool Has(int threadId)
    {
        lock (_reports)
        {
            return _reports.Any(report => report.ThreadIds.Contains(threadId));
        }
    }

    /// <summary>The one report whose cycle includes <paramref name="threadId"/>; fails the test when there is none or several.</summary>
    public DeadlockReport For(int threadId)
    {
        lock (_reports)
        {
            var matching = _reports.Where(report => report.ThreadIds.Contains(threadId)).ToList();
            if (matching.Count != 1)
            {
                throw new Xunit.Sdk.XunitException($"Expected one deadlock report about thread #{threadId}, found {matching.Count}.");
            }

            return matching[0];
        }
    }

    public void Dispose() => DeadlockDetector.DeadlockDetected -= OnDeadlock;

    private void OnDeadlock(object? sender, DeadlockReport report)
    {
        lock (_reports)
        {
            _reports.Add(report);
        }
    }
}
