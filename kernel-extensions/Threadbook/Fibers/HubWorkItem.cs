namespace Threadbook.Fibers;

/// <summary>One piece of work for a hub's loop: a coroutine's start, an <c>await</c> continuation, or a posted callback, and the coroutine it belongs to (null for none).</summary>
internal readonly struct HubWorkItem
{
    private readonly object _callback;
    private readonly object? _state;

    public HubWorkItem(Coroutine? owner, Action continuation)
    {
        Owner = owner;
        _callback = continuation;
    }

    public HubWorkItem(Coroutine? owner, SendOrPostCallback callback, object? state)
    {
        Owner = owner;
        _callback = callback;
        _state = state;
    }

    /// <summary>The start of <paramref name="coroutine"/>'s function.</summary>
    public HubWorkItem(Coroutine coroutine)
    {
        Owner = coroutine;
        _callback = coroutine;
    }

    public Coroutine? Owner { get; }

    public void Invoke()
    {
        switch (_callback)
        {
            case Action continuation:
                continuation();
                break;
            case SendOrPostCallback callback:
                callback(_state);
                break;
            case Coroutine coroutine:
                coroutine.Start();
                break;
        }
    }
}
