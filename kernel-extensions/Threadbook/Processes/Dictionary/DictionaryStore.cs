using System.Collections.Concurrent;
using Threadbook.Processes.Wire;

namespace Threadbook.Processes.Dictionary;

/// <summary>
/// The data of a <see cref="SharedDictionary"/>, in the process that owns it, and the service its proxies talk to:
/// each proxy connection (one per process that uses the dictionary) gets a thread that answers its requests in order.
/// Entries keep insertion order, as a Python dict does.
/// </summary>
internal sealed class DictionaryStore : IDictionaryBackend
{
    private static readonly ConcurrentDictionary<string, DictionaryStore> ByToken = new();
    private readonly OrderedDictionary<DictionaryKey, StoredValue> _entries = [];
    private readonly List<FrameConnection> _connections = [];
    private volatile bool _stopped;

    private DictionaryStore(string token) => Token = token;

    /// <summary>The token proxies present (also the dictionary's identity).</summary>
    public string Token { get; }

    /// <summary>How many proxy connections are open.</summary>
    public int ConnectionCount
    {
        get
        {
            lock (_connections)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>Creates a store and starts serving it on this process's endpoint.</summary>
    public static DictionaryStore Start()
    {
        var store = new DictionaryStore(RandomToken.New());
        ByToken[store.Token] = store;
        ParentEndpoint.Instance.Expect(store.Token, ConnectionRole.DictionaryProxy, store.Serve, once: false);
        return store;
    }

    /// <summary>The store with <paramref name="token"/> in this process, if it is served here.</summary>
    public static DictionaryStore? Find(string token) => ByToken.GetValueOrDefault(token);

    /// <summary>Stops serving: proxies' connections close and new ones are refused.</summary>
    public void Stop()
    {
        _stopped = true;
        ParentEndpoint.Instance.Forget(Token);
        ByToken.TryRemove(Token, out _);
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }

            _connections.Clear();
        }
    }

    public StoredValue? Get(DictionaryKey key)
    {
        lock (_entries)
        {
            return _entries.GetValueOrDefault(key);
        }
    }

    public void Set(DictionaryKey key, StoredValue value)
    {
        lock (_entries)
        {
            _entries[key] = value;
        }
    }

    public bool Remove(DictionaryKey key)
    {
        lock (_entries)
        {
            return _entries.Remove(key);
        }
    }

    public int Count()
    {
        lock (_entries)
        {
            return _entries.Count;
        }
    }

    public IReadOnlyList<KeyValuePair<DictionaryKey, StoredValue>> Items()
    {
        lock (_entries)
        {
            return _entries.ToArray();
        }
    }

    public void Clear()
    {
        lock (_entries)
        {
            _entries.Clear();
        }
    }

    private void Serve(FrameConnection connection, int pid)
    {
        lock (_connections)
        {
            if (_stopped)
            {
                connection.Dispose();
                return;
            }

            _connections.Add(connection);
        }

        new Thread(() => Answer(connection)) { IsBackground = true, Name = $"threadbook dictionary proxy of process {pid}" }.UnsafeStart();
    }

    private void Answer(FrameConnection connection)
    {
        var reply = new FrameWriter();
        try
        {
            while (!_stopped && connection.ReadFrame(out var payload))
            {
                var request = new FrameReader(payload);
                reply.Begin(MessageKind.Reply);
                try
                {
                    Perform(ref request, reply);
                }
                catch (Exception e)
                {
                    reply.Clear();
                    reply.Begin(MessageKind.Reply).Byte(ReplyStatus.Error).String($"{e.GetType().Name}: {e.Message}");
                }

                reply.End();
                connection.Send(reply);
            }
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            // the proxy's process went away
        }
        finally
        {
            lock (_connections)
            {
                _connections.Remove(connection);
            }

            connection.Dispose();
        }
    }

    private void Perform(ref FrameReader request, FrameWriter reply)
    {
        switch ((DictionaryOperation)request.Byte())
        {
            case DictionaryOperation.Get:
                if (Get(DictionaryKey.ReadFrom(ref request)) is { } found)
                {
                    found.WriteTo(reply.Byte(ReplyStatus.Ok));
                }
                else
                {
                    reply.Byte(ReplyStatus.NotFound);
                }

                break;
            case DictionaryOperation.Set:
                var key = DictionaryKey.ReadFrom(ref request);
                Set(key, StoredValue.ReadFrom(ref request));
                reply.Byte(ReplyStatus.Ok);
                break;
            case DictionaryOperation.Remove:
                reply.Byte(Remove(DictionaryKey.ReadFrom(ref request)) ? ReplyStatus.Ok : ReplyStatus.NotFound);
                break;
            case DictionaryOperation.Count:
                reply.Byte(ReplyStatus.Ok).Int32(Count());
                break;
            case DictionaryOperation.Items:
                var items = Items();
                reply.Byte(ReplyStatus.Ok).Int32(items.Count);
                foreach (var (itemKey, value) in items)
                {
                    itemKey.WriteTo(reply);
                    value.WriteTo(reply);
                }

                break;
            case DictionaryOperation.Clear:
                Clear();
                reply.Byte(ReplyStatus.Ok);
                break;
            default:
                throw new InvalidDataException("Unknown shared-dictionary operation.");
        }
    }

    /// <summary>The first byte of a reply.</summary>
    internal static class ReplyStatus
    {
        public const byte Ok = 0;
        public const byte NotFound = 1;
        public const byte Error = 2;
    }
}
