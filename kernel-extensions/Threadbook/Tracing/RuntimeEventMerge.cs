namespace Threadbook.Tracing;

/// <summary>
/// Merges runtime events (known by OS thread id only) into a recording: keeps those of threads the trace
/// knows, names the managed thread that owned a contended lock, and drops runtime waits that happen inside a
/// traced primitive's own wait (the primitive waits on a monitor internally; its traced wait already says it),
/// and the wait-handle waits a contended <c>lock</c> makes inside its contention span.
/// </summary>
internal static class RuntimeEventMerge
{
    public static IEnumerable<TraceEvent> Merge(IReadOnlyList<TraceEvent> external, IReadOnlyList<TraceEvent> recorded, IEnumerable<TraceThread> threads)
    {
        var managedByOs = new Dictionary<int, int>();
        foreach (var thread in threads.Where(t => t.OsThreadId != 0 && t.ThreadId != 0))
        {
            managedByOs.TryAdd(thread.OsThreadId, thread.ThreadId);
        }

        var tracedWaits = recorded
            .Where(e => e.Kind is TraceEventKind.WaitBegan or TraceEventKind.WaitEnded && e.WaitKind is not (WaitKind.RuntimeLock or WaitKind.RuntimeWait))
            .GroupBy(e => e.ThreadId)
            .ToDictionary(g => g.Key, g => Spans(g.OrderBy(e => e.Timestamp)));

        // Within a contention span the runtime also reports the wait handle the lock blocks on: drop those.
        var contention = external
            .Where(e => e.WaitKind == WaitKind.RuntimeLock && e.Kind is TraceEventKind.WaitBegan or TraceEventKind.WaitEnded)
            .GroupBy(e => e.OsThreadId)
            .ToDictionary(g => g.Key, g => Spans(g.OrderBy(e => e.Timestamp)));

        // Who holds each plain lock: its owner when the first waiter arrived, then each waiter that got it in turn.
        // The thread that woke a waiter is the holder just before it.
        var holder = new Dictionary<int, int>();
        foreach (var e in external.OrderBy(e => e.Timestamp))
        {
            if (!managedByOs.TryGetValue(e.OsThreadId, out var managed))
            {
                continue;
            }

            if (tracedWaits.TryGetValue(managed, out var spans) && spans.Any(s => s.Begin <= e.Timestamp && e.Timestamp <= s.End))
            {
                continue;
            }

            if (e.WaitKind == WaitKind.RuntimeWait && contention.TryGetValue(e.OsThreadId, out var locked) &&
                locked.Any(s => s.Begin <= e.Timestamp && e.Timestamp <= s.End))
            {
                continue;
            }

            var resolved = e with { ThreadId = managed };
            if (e is { Kind: TraceEventKind.WaitBegan, WaitKind: WaitKind.RuntimeLock })
            {
                var owner = managedByOs.GetValueOrDefault((int)e.Value);
                holder.TryAdd(e.ObjectId, owner);
                resolved = resolved with { RelatedThreadId = owner };
            }
            else if (e is { Kind: TraceEventKind.WaitEnded, WaitKind: WaitKind.RuntimeLock })
            {
                resolved = resolved with { RelatedThreadId = holder.GetValueOrDefault(e.ObjectId) };
                holder[e.ObjectId] = managed;
            }

            yield return resolved;
        }
    }

    private static List<(long Begin, long End)> Spans(IEnumerable<TraceEvent> waits)
    {
        var spans = new List<(long, long)>();
        long? begin = null;
        foreach (var e in waits)
        {
            if (e.Kind == TraceEventKind.WaitBegan)
            {
                begin = e.Timestamp;
            }
            else if (begin is { } b)
            {
                spans.Add((b, e.Timestamp));
                begin = null;
            }
        }

        if (begin is { } open)
        {
            spans.Add((open, long.MaxValue));
        }

        return spans;
    }
}
