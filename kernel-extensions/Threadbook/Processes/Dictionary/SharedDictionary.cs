using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Threadbook.Introspection;
using Threadbook.Processes.Dictionary;
using Threadbook.Processes.SharedMemory;
using Threadbook.Rendering;
using Threadbook.Processes.Wire;

namespace Threadbook.Processes;

/// <summary>
/// A dictionary that several processes share, like Python's <c>Manager().dict()</c>: the process that creates it
/// keeps the data and serves it; pass it to a child function as an argument and the child gets a proxy whose every
/// operation asks the owner (over a Unix socket), so what a child sets the parent sees.
/// </summary>
/// <remarks>
/// <para>Keys are strings or integers (<see cref="int"/>, <see cref="long"/> and the other integer types are one key
/// space; integer keys come back as <see cref="int"/> when they fit). Values are anything that can travel to another
/// process (see <see cref="WorkerFunction"/>): each value is stored as JSON, so a read returns a fresh copy, as with
/// Python's proxy (changing a list you read does not change the stored one: set it again). A value comes back as its
/// own type when the reading process knows it, otherwise as a plain value; <see cref="Get{T}"/> reads it as a type
/// you choose.</para>
/// <para>The owner serves the dictionary until it is disposed (then proxies fail with a clear error) or the owner
/// exits. Entries keep insertion order.</para>
/// </remarks>
[JsonConverter(typeof(SharedDictionaryJsonConverter))]
public sealed class SharedDictionary : IRenderable, IDisposable, IShareableHandle
{
    private const int EntriesShown = 8;
    private readonly IDictionaryBackend _backend;
    private readonly DictionaryStore? _ownedStore;
    private volatile bool _disposed;

    private SharedDictionary(IDictionaryBackend backend, DictionaryStore? ownedStore, string address, string token, int ownerProcessId)
    {
        _backend = backend;
        _ownedStore = ownedStore;
        Address = address;
        Token = token;
        OwnerProcessId = ownerProcessId;
    }

    /// <summary>The process that keeps the data.</summary>
    public int OwnerProcessId { get; }

    /// <summary>True in the process that created the dictionary (the one that serves it and stops serving on dispose).</summary>
    public bool IsOwner => _ownedStore is not null;

    /// <summary>The owner's socket address (<c>@name</c>: a Linux abstract socket).</summary>
    public string Address { get; }

    /// <summary>The number of entries.</summary>
    public int Count => Backend.Count();

    /// <summary>The keys, in insertion order (a snapshot).</summary>
    public IReadOnlyList<object> Keys => Backend.Items().Select(item => item.Key.Value).ToArray();

    /// <summary>The values, in insertion order (copies), like Python's <c>dic.values()</c>.</summary>
    public IReadOnlyList<object?> Values => Backend.Items().Select(item => item.Value.ToValue()).ToArray();

    internal string Token { get; }

    string IShareableHandle.HandleText => "SharedDictionary";

    private IDictionaryBackend Backend => _disposed
        ? throw new ObjectDisposedException(nameof(SharedDictionary), $"This shared dictionary was disposed{(IsOwner ? "" : " (this proxy)")}.")
        : _backend;

    /// <summary>The value of <paramref name="key"/> (a copy), or sets it.</summary>
    /// <exception cref="KeyNotFoundException">Reading a key that is not there (Python's <c>KeyError</c>).</exception>
    /// <exception cref="ArgumentException">The key is neither a string nor an integer, or the value cannot travel to another process (the message names its type).</exception>
    public object? this[object key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The shared dictionary has no key {DictionaryKey.From(key)}.");
        set => Backend.Set(DictionaryKey.From(key), StoredValue.Of(value));
    }

    /// <summary>Creates an empty dictionary served by this process.</summary>
    public static SharedDictionary Create()
    {
        var store = DictionaryStore.Start();
        return new SharedDictionary(store, store, ParentEndpoint.Instance.Address, store.Token, Environment.ProcessId);
    }

    /// <summary>Opens a dictionary from its handle: the store itself in the owner's process, a proxy elsewhere.</summary>
    internal static SharedDictionary Open(JsonElement handle)
    {
        var address = SharedHandles.Text(handle, "address");
        var token = SharedHandles.Text(handle, "token");
        var owner = handle.TryGetProperty("owner", out var pid) ? pid.GetInt32() : 0;
        IDictionaryBackend backend = owner == Environment.ProcessId && DictionaryStore.Find(token) is { } local
            ? local
            : DictionaryClient.For(address, token, owner);
        return new SharedDictionary(backend, null, address, token, owner);
    }

    /// <summary>Reads <paramref name="key"/>'s value (a copy); false when the key is not there.</summary>
    public bool TryGetValue(object key, out object? value)
    {
        var stored = Backend.Get(DictionaryKey.From(key));
        value = stored?.ToValue();
        return stored is not null;
    }

    /// <summary>Reads <paramref name="key"/>'s value as <typeparamref name="T"/> (for types the reading process names itself).</summary>
    /// <exception cref="KeyNotFoundException">The key is not there.</exception>
    public T? Get<T>(object key) =>
        (Backend.Get(DictionaryKey.From(key)) ?? throw new KeyNotFoundException($"The shared dictionary has no key {DictionaryKey.From(key)}.")).ToValue<T>();

    /// <summary>True when <paramref name="key"/> is there.</summary>
    public bool ContainsKey(object key) => Backend.Get(DictionaryKey.From(key)) is not null;

    /// <summary>Removes <paramref name="key"/>; false when it was not there.</summary>
    public bool Remove(object key) => Backend.Remove(DictionaryKey.From(key));

    /// <summary>Removes every entry.</summary>
    public void Clear() => Backend.Clear();

    /// <summary>A copy of every entry, in insertion order, as an ordinary dictionary.</summary>
    public Dictionary<object, object?> ToDictionary() =>
        Backend.Items().ToDictionary(item => item.Key.Value, item => item.Value.ToValue());

    /// <summary>In the owner: stops serving (proxies then fail) and forgets the data. In a proxy: stops using it.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _ownedStore?.Stop();
    }

    /// <inheritdoc />
    public string ToHtml() => View().ToHtml();

    /// <inheritdoc />
    public string ToText() => View().ToText();

    /// <inheritdoc />
    public override string ToString() => _disposed ? "SharedDictionary (disposed)" : $"SharedDictionary {{ {EntriesText()} }}";

    private string EntriesText()
    {
        var items = Backend.Items();
        var shown = string.Join(", ", items.Take(EntriesShown).Select(item => $"{item.Key}: {Probe.Text(item.Value.ToValue())}"));
        return items.Count > EntriesShown ? shown + $", … ({items.Count - EntriesShown} more)" : shown;
    }

    private FactView View() => new(
        () => $"SharedDictionary owned by process {OwnerProcessId}{(IsOwner ? " (this process)" : " (this is a proxy)")}",
        () => _disposed
            ? [("state", "disposed")]
            :
            [
                ("entries", Count.ToString(CultureInfo.InvariantCulture)),
                ("items", EntriesText()),
                ("served at", Address),
                ("proxies connected", _ownedStore?.ConnectionCount.ToString(CultureInfo.InvariantCulture) ?? "n/a (this is a proxy)"),
            ]);
}
