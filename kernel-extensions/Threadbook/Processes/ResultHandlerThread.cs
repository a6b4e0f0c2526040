namespace Threadbook.Processes;

/// <summary>
/// The one thread of a pool that runs callbacks and error callbacks, in the order their results arrived, as Python's
/// pool does: never on the caller's thread, never two at once. A callback that throws is reported on standard error
/// (in the submitter's context) and does not stop the thread.
/// </summary>
internal sealed class ResultHandlerThread
{
    private readonly Queue<Action> _work = new();
    private readonly Thread _thread;
    private bool _completing;
    private bool _waiting;

    public ResultHandlerThread(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.UnsafeStart();
    }

    /// <summary>The thread's managed id.</summary>
    public int ManagedThreadId => _thread.ManagedThreadId;

    /// <summary>Queues <paramref name="item"/>; false when the thread was told to finish.</summary>
    public bool Post(Action item)
    {
        lock (_work)
        {
            if (_completing)
            {
                return false;
            }

            _work.Enqueue(item);
            if (_waiting)
            {
                Monitor.Pulse(_work);
            }

            return true;
        }
    }

    /// <summary>No more work will come: the thread ends after what is queued.</summary>
    public void Complete()
    {
        lock (_work)
        {
            _completing = true;
            Monitor.Pulse(_work);
        }
    }

    /// <summary>Waits for the thread to end (after <see cref="Complete"/>); false when <paramref name="timeout"/> passed first.</summary>
    public bool Join(TimeSpan timeout) => Thread.CurrentThread == _thread || _thread.Join(timeout);

    private void Run()
    {
        var batch = new List<Action>();
        while (true)
        {
            lock (_work)
            {
                while (_work.Count == 0 && !_completing)
                {
                    _waiting = true;
                    Monitor.Wait(_work);
                    _waiting = false;
                }

                if (_work.Count == 0)
                {
                    return;
                }

                batch.AddRange(_work);
                _work.Clear();
            }

            foreach (var item in batch)
            {
                item();
            }

            batch.Clear();
        }
    }
}
