
namespace Threadbook.Processes.Wire;

/// <summary>Who is connecting to a <see cref="ParentEndpoint"/>, said in the first frame.</summary>
internal enum ConnectionRole : byte
{
    /// <summary>A worker process this process started.</summary>
    Worker = 1,

    /// <summary>A proxy of a <see cref="SharedDictionary"/> this process owns.</summary>
    DictionaryProxy = 2,
}
