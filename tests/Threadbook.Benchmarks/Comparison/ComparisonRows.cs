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
        new(
            "rlock_acquire_release.traced_rlock",
            "TracedRLock Acquire(), Release() (no trace)  vs  RLock.acquire(), release()",
            typeof(TracedRLockBenchmarks), nameof(TracedRLockBenchmarks.AcquireRelease),
            "rlock_acquire_release", MeasurementUnit.NanosecondsPerOperation),
        new(
            "rlock_acquire_release.traced_rlock_hold",
            "using (tracedRLock.Hold()) { } (no trace)  vs  RLock.acquire(), release()",
            typeof(TracedRLockBenchmarks), nameof(TracedRLockBenchmarks.HoldScope),
            "rlock_acquire_release", MeasurementUnit.NanosecondsPerOperation),
        new(
            "rlock_acquire_release.traced_rlock_tracing",
            "TracedRLock Acquire(), Release() while a trace records  vs  RLock.acquire(), release()",
            typeof(TracedRLockWhileTracingBenchmarks), nameof(TracedRLockWhileTracingBenchmarks.AcquireRelease),
            "rlock_acquire_release", MeasurementUnit.NanosecondsPerOperation),
        new(
            "lock_acquire_release.traced_lock",
            "TracedLock Acquire(), Release() (no trace)  vs  Lock.acquire(), release()",
            typeof(TracedLockBenchmarks), nameof(TracedLockBenchmarks.AcquireRelease),
            "lock_acquire_release", MeasurementUnit.NanosecondsPerOperation),
        new(
            "locked_counter_4threads.monitor",
            "4 threads, counter++ in lock (obj) { }  vs  4 threads, counter += 1 in with RLock:",
            typeof(LockedCounterBenchmarks), nameof(LockedCounterBenchmarks.MonitorLock),
            "locked_counter_4threads", MeasurementUnit.NanosecondsPerOperation),
        new(
            "locked_counter_4threads.traced_rlock",
            "4 threads, counter++ in using (tracedRLock.Hold()) { }  vs  4 threads, counter += 1 in with RLock:",
            typeof(LockedCounterBenchmarks), nameof(LockedCounterBenchmarks.TracedRLock),
            "locked_counter_4threads", MeasurementUnit.NanosecondsPerOperation),
        new(
            "event_pingpong.traced_event",
            "two TracedEvent + partner thread  vs  two threading.Event + partner thread",
            typeof(TracedEventPingPongBenchmarks), nameof(TracedEventPingPongBenchmarks.RoundTrip),
            "event_pingpong", MeasurementUnit.MicrosecondsPerRoundTrip),
        new(
            "greenlet_switch",
            "two Fibers, Switch() back and forth  vs  two greenlets, switch() back and forth",
            typeof(FiberSwitchBenchmarks), nameof(FiberSwitchBenchmarks.PingPong),
            "greenlet_switch", MeasurementUnit.NanosecondsPerSwitch),
        new(
            "gevent_spawn_sleep0_joinall",
            "100,000 × hub.Spawn(await Hub.Sleep(0)), hub.JoinAll  vs  100,000 × gevent.spawn(sleep(0)), gevent.joinall",
            typeof(HubSpawnSleepJoinBenchmarks), nameof(HubSpawnSleepJoinBenchmarks.SpawnSleepZeroJoinAll),
            "gevent_spawn_sleep0_joinall", MeasurementUnit.MicrosecondsPerCoroutine),
        new(
            "socketserver_threading_echo_8clients",
            "ThreadingTcpServer  vs  ThreadingTCPServer, each with the same 8 CPython client processes echoing at once",
            typeof(ThreadingTcpServerBenchmarks), nameof(ThreadingTcpServerBenchmarks.EchoEightClients),
            "socketserver_threading_echo_8clients", MeasurementUnit.MicrosecondsPerRoundTrip),
        new(
            "socketserver_threading_connections",
            "ThreadingTcpServer: connect, one echo, close, one after another  vs  the same against ThreadingTCPServer",
            typeof(ThreadingTcpServerBenchmarks), nameof(ThreadingTcpServerBenchmarks.SequentialConnections),
            "socketserver_threading_connections", MeasurementUnit.MicrosecondsPerConnection),
        new(
            "socketserver_forking_echo_8clients",
            "ForkingTcpServer  vs  ForkingTCPServer, each with the same 8 CPython client processes echoing at once",
            typeof(ForkingTcpServerBenchmarks), nameof(ForkingTcpServerBenchmarks.EchoEightClients),
            "socketserver_forking_echo_8clients", MeasurementUnit.MicrosecondsPerRoundTrip),
        new(
            "socketserver_forking_connections",
            "ForkingTcpServer (a pre-started process per client): connect, one echo, close  vs  ForkingTCPServer (os.fork per client)",
            typeof(ForkingTcpServerBenchmarks), nameof(ForkingTcpServerBenchmarks.SequentialConnections),
            "socketserver_forking_connections", MeasurementUnit.MicrosecondsPerConnection),
        new(
            "pool_first_result",
            "new ProcessPool(2) (warm workers ready), Apply(f, 1)  vs  Pool(2) (forks), apply(f, (1,))",
            typeof(PoolFirstResultBenchmarks), nameof(PoolFirstResultBenchmarks.FirstResult),
            "pool_first_result", MeasurementUnit.MillisecondsPerPool),
        new(
            "pool_apply_async_callback",
            "ProcessPool(2): 1,000 × ApplyAsync(f, [i], callback)  vs  Pool(2): apply_async(f, (i,), callback=)",
            typeof(PoolApplyAsyncBenchmarks), nameof(PoolApplyAsyncBenchmarks.ApplyAsyncWithCallback),
            "pool_apply_async_callback", MeasurementUnit.MicrosecondsPerTask),
        new(
            "shared_array_locked_increments",
            "2 processes, using (counter.Hold()) counter[0]++ on SharedArray<int>  vs  2 processes, with counter.get_lock(): counter[0] += 1 on Array('i')",
            typeof(SharedArrayLockedIncrementBenchmarks), nameof(SharedArrayLockedIncrementBenchmarks.LockedIncrementsFromTwoProcesses),
            "shared_array_locked_increments", MeasurementUnit.NanosecondsPerIncrement),
        new(
            "shared_dict_sets",
            "2 processes, dic[key] = i through SharedDictionary proxies  vs  2 processes, dic[key] = i through Manager().dict() proxies",
            typeof(SharedDictionarySetBenchmarks), nameof(SharedDictionarySetBenchmarks.SetsFromTwoProcesses),
            "shared_dict_sets", MeasurementUnit.MicrosecondsPerSet),
    ];
}
