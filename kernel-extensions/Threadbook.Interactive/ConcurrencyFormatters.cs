using System.Diagnostics;
using System.Threading.Channels;
using Threadbook.Introspection;

namespace Threadbook.Interactive;

/// <summary>
/// The compact views of .NET's concurrency types (tasks, processes, locks, events, semaphores, cancellation,
/// channels, timers, the thread pool's counters) in place of kilobytes of reflected properties.
/// </summary>
internal static class ConcurrencyFormatters
{
    /// <summary>Registers a formatter per type; the views live in the engine (<c>Threadbook.Introspection</c>).</summary>
    public static void Register()
    {
        // Task<> (open) is more specific than Task, so a Task<int> — or an async method's internal subclass —
        // is formatted through it; both reach the same view, which reads the result type from the runtime type.
        ThreadbookFormatters.RegisterRenderable<Task>(TaskSummary.Of);
        ThreadbookFormatters.RegisterRenderable(typeof(Task<>), value => TaskSummary.Of((Task)value));
        ThreadbookFormatters.RegisterRenderable<ValueTask>(ValueTaskSummary.Of);
        ThreadbookFormatters.RegisterRenderable(typeof(ValueTask<>), ValueTaskSummary.OfObject);
        ThreadbookFormatters.RegisterRenderable<Process>(ProcessSummary.Of);

        ThreadbookFormatters.RegisterRenderable<Lock>(LockSummary.Of);
        // Mutex, Semaphore, ManualResetEvent, AutoResetEvent, EventWaitHandle: one view that knows each kind.
        ThreadbookFormatters.RegisterRenderable<WaitHandle>(WaitHandleSummary.Of);
        ThreadbookFormatters.RegisterRenderable<SemaphoreSlim>(SemaphoreSlimSummary.Of);
        ThreadbookFormatters.RegisterRenderable<ReaderWriterLockSlim>(ReaderWriterLockSlimSummary.Of);
        ThreadbookFormatters.RegisterRenderable<ManualResetEventSlim>(ManualResetEventSlimSummary.Of);
        ThreadbookFormatters.RegisterRenderable<CountdownEvent>(CountdownEventSummary.Of);
        ThreadbookFormatters.RegisterRenderable<Barrier>(BarrierSummary.Of);
        ThreadbookFormatters.RegisterRenderable<CancellationTokenSource>(CancellationSummary.Of);
        ThreadbookFormatters.RegisterRenderable<CancellationToken>(CancellationSummary.Of);

        // Channel.CreateBounded<int> returns an internal BoundedChannel<int> : Channel<int> : Channel<int, int>.
        ThreadbookFormatters.RegisterRenderable(typeof(Channel<,>), ChannelSummary.OfObject);
        ThreadbookFormatters.RegisterRenderable(typeof(ChannelReader<>), ChannelSummary.OfObject);
        ThreadbookFormatters.RegisterRenderable(typeof(ChannelWriter<>), ChannelSummary.OfObject);

        ThreadbookFormatters.RegisterRenderable<Timer>(TimerSummary.Of);
        ThreadbookFormatters.RegisterRenderable<ThreadPoolCounters>(ThreadPoolSummary.Of);
    }
}
