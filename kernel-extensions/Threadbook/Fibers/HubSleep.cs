using System.Runtime.CompilerServices;

namespace Threadbook.Fibers;

/// <summary>
/// What <see cref="Hub.Sleep(TimeSpan)"/> returns: await it inside a coroutine. The coroutine gives up the hub's
/// thread, the others run, and it continues on the same thread once its time has passed (<c>Sleep(0)</c>: after every
/// coroutine that was ready has had its turn), like <c>gevent.sleep</c>.
/// </summary>
public readonly struct HubSleep
{
    private readonly Hub _hub;
    private readonly Coroutine _owner;
    private readonly long _due;

    internal HubSleep(Hub hub, Coroutine owner, long due)
    {
        _hub = hub;
        _owner = owner;
        _due = due;
    }

    /// <summary>The awaiter; used by <c>await</c>.</summary>
    public Awaiter GetAwaiter() => new(_hub, _owner, _due);

    /// <summary>Suspends the awaiting coroutine until its time has come; used by <c>await</c>.</summary>
    public readonly struct Awaiter : ICriticalNotifyCompletion
    {
        private readonly Hub _hub;
        private readonly Coroutine _owner;
        private readonly long _due;

        internal Awaiter(Hub hub, Coroutine owner, long due)
        {
            _hub = hub;
            _owner = owner;
            _due = due;
        }

        /// <summary>Always false: even <c>Sleep(0)</c> gives the others a turn.</summary>
        public bool IsCompleted => false;

        /// <summary>Nothing to return: a sleep only passes time.</summary>
        public void GetResult()
        {
        }

        /// <summary>Schedules <paramref name="continuation"/> on the hub, in the caller's execution context.</summary>
        public void OnCompleted(Action continuation)
        {
            ArgumentNullException.ThrowIfNull(continuation);
            var context = ExecutionContext.Capture();
            UnsafeOnCompleted(context is null
                ? continuation
                : () => ExecutionContext.Run(context, static state => ((Action)state!)(), continuation));
        }

        /// <summary>Schedules <paramref name="continuation"/> on the hub (the async method carries its own context).</summary>
        public void UnsafeOnCompleted(Action continuation)
        {
            ArgumentNullException.ThrowIfNull(continuation);
            if (_hub is null)
            {
                throw new InvalidOperationException("This sleep was not made by Hub.Sleep: await Hub.Sleep(...) inside a coroutine.");
            }

            _hub.ScheduleWake(_owner, _due, continuation);
        }
    }
}
