using System.Collections.Concurrent;
using System.Net.Sockets;
using Threadbook.Processes.Wire;

namespace Threadbook.Processes.Dictionary;

/// <summary>
/// A proxy's side of a <see cref="SharedDictionary"/>: each operation is one request and one reply over a Unix socket
/// to the owner process. One connection per process and dictionary, shared by the threads that use it (one request at
/// a time). A reply that takes longer than <see cref="ReplyTimeout"/> ends the connection with an error.
/// </summary>
internal sealed class DictionaryClient : IDictionaryBackend
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);
    private static readonly ConcurrentDictionary<string, DictionaryClient> ByToken = new();
    private readonly object _gate = new();
    private readonly FrameWriter _request = new();
    private readonly string _address;
    private readonly string _token;
    private FrameConnection? _connection;

    private DictionaryClient(string address, string token, int ownerPid)
    {
        _address = address;
        _token = token;
        OwnerPid = ownerPid;
    }

    public int OwnerPid { get; }

    /// <summary>This process's proxy connection to the dictionary at <paramref name="address"/> with <paramref name="token"/>.</summary>
    public static DictionaryClient For(string address, string token, int ownerPid) =>
        ByToken.GetOrAdd(token, _ => new DictionaryClient(address, token, ownerPid));

    public StoredValue? Get(DictionaryKey key)
    {
        StoredValue? found = null;
        Ask(DictionaryOperation.Get, w => key.WriteTo(w), (ref FrameReader r) => found = StoredValue.ReadFrom(ref r));
        return found;
    }

    public void Set(DictionaryKey key, StoredValue value) =>
        Ask(DictionaryOperation.Set, w => value.WriteTo(KeyWritten(w, key)), null);

    public bool Remove(DictionaryKey key) => Ask(DictionaryOperation.Remove, w => key.WriteTo(w), null);

    public int Count()
    {
        var count = 0;
        Ask(DictionaryOperation.Count, null, (ref FrameReader r) => count = r.Int32());
        return count;
    }

    public IReadOnlyList<KeyValuePair<DictionaryKey, StoredValue>> Items()
    {
        var items = new List<KeyValuePair<DictionaryKey, StoredValue>>();
        Ask(DictionaryOperation.Items, null, (ref FrameReader r) =>
        {
            var count = r.Int32();
            for (var i = 0; i < count; i++)
            {
                var key = DictionaryKey.ReadFrom(ref r);
                items.Add(new(key, StoredValue.ReadFrom(ref r)));
            }
        });
        return items;
    }

    public void Clear() => Ask(DictionaryOperation.Clear, null, null);

    private static FrameWriter KeyWritten(FrameWriter writer, DictionaryKey key)
    {
        key.WriteTo(writer);
        return writer;
    }

    /// <summary>Sends one request and reads its reply; true when the reply was Ok (false: not found).</summary>
    private bool Ask(DictionaryOperation operation, Action<FrameWriter>? writeArguments, ReplyReader? readReply)
    {
        lock (_gate)
        {
            var connection = _connection ??= Connect();
            _request.Begin(MessageKind.Request).Byte((byte)operation);
            writeArguments?.Invoke(_request);
            _request.End();
            try
            {
                connection.Send(_request);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                throw Lost(e);
            }
            finally
            {
                _request.Clear();
            }

            if (!connection.ReadFrame(out var payload))
            {
                throw Lost(null);
            }

            var reply = new FrameReader(payload);
            switch (reply.Byte())
            {
                case DictionaryStore.ReplyStatus.Ok:
                    readReply?.Invoke(ref reply);
                    return true;
                case DictionaryStore.ReplyStatus.NotFound:
                    return false;
                default:
                    throw new InvalidOperationException($"The shared dictionary's owner (process {OwnerPid}) failed the request: {reply.String()}");
            }
        }
    }

    private FrameConnection Connect()
    {
        try
        {
            var connection = FrameConnection.Connect(_address, ConnectionRole.DictionaryProxy, _token);
            connection.Socket.ReceiveTimeout = (int)ReplyTimeout.TotalMilliseconds;
            return connection;
        }
        catch (SocketException e)
        {
            ByToken.TryRemove(_token, out _);
            throw new InvalidOperationException(
                $"Cannot reach the shared dictionary's owner (process {OwnerPid}) at {_address}: it has disposed the dictionary or exited.", e);
        }
    }

    private InvalidOperationException Lost(Exception? cause)
    {
        _connection?.Dispose();
        _connection = null;
        ByToken.TryRemove(_token, out _);
        return new InvalidOperationException(
            $"The connection to the shared dictionary's owner (process {OwnerPid}) ended: it disposed the dictionary, exited, or did not answer within {ReplyTimeout.TotalSeconds:0} s.",
            cause);
    }

    private delegate void ReplyReader(ref FrameReader reader);
}
