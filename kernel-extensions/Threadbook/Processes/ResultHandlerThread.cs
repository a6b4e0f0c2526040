namespace Threadbook.Processes;

/// <summary>
/// The one thread of a pool that runs callbacks and error callbacks, in the order their results arrived, as Python's
/// pool does: never on the caller's thread, never two at once. A callback that throws is reported on standard error
/// (in the submitter's context) and does not stop the thread. The thread starts with the first callback (or when its id
/// is asked for): a pool used only with <c>Apply</c> and <c>Get</c> never needs it, and on a busy machine each thread
/// start is a wait for the scheduler inside a new pool's constructor.
/// </summary>
internal sealed class ResultHandlerThread
{
    private readonly Queue<Action> _work = new();
    private readonly string _name;
    private Thread? _thread;
    private bool _completing;
    private bool _waiting;

    public ResultHandlerThread(string name) => _name = name;

    /// <summary>The thread's managed id (it starts the thread if no callback did yet).</summary>
    public int ManagedThreadId
    {
        get
        {
            lock (_work)
            {
                return StartedLocked().ManagedThreadId;
            }
        }
    }

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
            StartedLocked();
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
    public bool Join(TimeSpan timeout)
    {
        Thread? thread;
        lock (_work)
        {
            thread = _thread;
        }

        return thread is null || Thread.CurrentThread == thread || thread.Join(timeout);
    }

    /// <summary>The thread, started now if it was not (it runs until <see cref="Complete"/> and an empty queue, even if that came first).</summary>
    private Thread StartedLocked()
    {
        if (_thread is null)
        {
            _thread = new Thread(Run) { IsBackground = true, Name = _name };
            _thread.UnsafeStart();
        }

        return _thread;
    }

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
