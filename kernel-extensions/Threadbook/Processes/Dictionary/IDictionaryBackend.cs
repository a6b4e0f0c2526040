namespace Threadbook.Processes.Dictionary;

/// <summary>Where a <see cref="SharedDictionary"/>'s operations go: the store itself (owner) or a connection to it (proxy).</summary>
internal interface IDictionaryBackend
{
    StoredValue? Get(DictionaryKey key);

    void Set(DictionaryKey key, StoredValue value);

    bool Remove(DictionaryKey key);

    int Count();

    IReadOnlyList<KeyValuePair<DictionaryKey, StoredValue>> Items();

    void Clear();
}
