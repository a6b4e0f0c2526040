using Threadbook.Processes.Wire;

namespace Threadbook.Processes.Dictionary;

/// <summary>What a <see cref="MessageKind.Request"/> from a dictionary proxy asks for.</summary>
internal enum DictionaryOperation : byte
{
    Get = 1,
    Set = 2,
    Remove = 3,
    Count = 4,
    Items = 5,
    Clear = 6,
}
