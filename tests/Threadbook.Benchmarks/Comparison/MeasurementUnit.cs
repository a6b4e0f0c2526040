namespace Threadbook.Benchmarks.Comparison;

/// <summary>
/// A unit of time per operation, such as <c>µs/thread</c>. Both columns of a comparison are shown in it, and
/// the CPython script must print exactly this <see cref="Symbol"/>, so a row cannot silently compare
/// microseconds with nanoseconds. Throughput-style Python numbers belong in the script as time per operation.
/// </summary>
/// <param name="Symbol">The unit as printed, e.g. <c>ns/op</c>.</param>
/// <param name="NanosecondsPerUnit">How many nanoseconds one of this unit is.</param>
internal sealed record MeasurementUnit(string Symbol, double NanosecondsPerUnit)
{
    public static MeasurementUnit NanosecondsPerOperation { get; } = new("ns/op", 1);

    public static MeasurementUnit MicrosecondsPerThread { get; } = new("µs/thread", 1_000);

    public static MeasurementUnit MicrosecondsPerRoundTrip { get; } = new("µs/roundtrip", 1_000);

    public static MeasurementUnit NanosecondsPerSwitch { get; } = new("ns/switch", 1);

    public static MeasurementUnit MicrosecondsPerCoroutine { get; } = new("µs/coroutine", 1_000);

    public static MeasurementUnit MicrosecondsPerConnection { get; } = new("µs/connection", 1_000);

    public static MeasurementUnit MillisecondsPerPool { get; } = new("ms/pool", 1_000_000);

    public static MeasurementUnit MicrosecondsPerTask { get; } = new("µs/task", 1_000);

    public static MeasurementUnit NanosecondsPerIncrement { get; } = new("ns/increment", 1);

    public static MeasurementUnit MicrosecondsPerSet { get; } = new("µs/set", 1_000);

    /// <summary>Converts BenchmarkDotNet's mean (nanoseconds per operation) into this unit.</summary>
    public double FromNanoseconds(double nanoseconds) => nanoseconds / NanosecondsPerUnit;
}
