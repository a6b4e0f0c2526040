namespace Threadbook.Benchmarks.Comparison;

/// <summary>
/// Every row the <c>compare</c> command knows, in table order. Adding a comparison means adding one entry
/// here (plus the benchmark method and the Python row it names).
/// </summary>
internal static class ComparisonRows
{
    public static IReadOnlyList<ComparisonRow> All { get; } =
    [
        new(
            "thread_start_join",
            "new Thread(() => {}), Start, Join  vs  threading.Thread(target=f), start, join",
            typeof(ThreadStartJoinBenchmarks), nameof(ThreadStartJoinBenchmarks.StartAndJoin),
            "thread_start_join", MeasurementUnit.MicrosecondsPerThread),
        new(
            "rlock_acquire_release.monitor",
            "lock (obj) { } (Monitor)  vs  RLock.acquire(), release()",
            typeof(ReentrantLockBenchmarks), nameof(ReentrantLockBenchmarks.MonitorLock),
            "rlock_acquire_release", MeasurementUnit.NanosecondsPerOperation),
        new(
            "rlock_acquire_release.lock",
            "lock (l) { } on System.Threading.Lock  vs  RLock.acquire(), release()",
            typeof(ReentrantLockBenchmarks), nameof(ReentrantLockBenchmarks.SystemThreadingLock),
            "rlock_acquire_release", MeasurementUnit.NanosecondsPerOperation),
        new(
            "event_pingpong",
            "two ManualResetEventSlim + partner thread  vs  two threading.Event + partner thread",
            typeof(EventPingPongBenchmarks), nameof(EventPingPongBenchmarks.RoundTrip),
            "event_pingpong", MeasurementUnit.MicrosecondsPerRoundTrip),
    ];
}
