namespace Threadbook.Processes.Wire;

/// <summary>The first byte of every frame between a parent and its worker processes (and shared-dictionary proxies).</summary>
internal enum MessageKind : byte
{
    /// <summary>Connector → parent, first frame: role, token, pid.</summary>
    Hello = 1,

    /// <summary>Parent → worker: a function id and how to find the method (sent once per worker and function).</summary>
    Define = 2,

    /// <summary>Parent → worker: task id, function id, arguments (JSON), whether to exit afterwards.</summary>
    Run = 3,

    /// <summary>Parent → worker: finish the tasks already sent, then exit.</summary>
    Exit = 4,

    /// <summary>Worker → parent: task id and the worker's timestamp, sent before the function runs.</summary>
    Started = 5,

    /// <summary>Worker → parent: task id, timestamp, result (JSON).</summary>
    Succeeded = 6,

    /// <summary>Worker → parent: task id, timestamp, exception type, message and stack.</summary>
    Failed = 7,

    /// <summary>Dictionary proxy → owner: an operation.</summary>
    Request = 8,

    /// <summary>Owner → dictionary proxy: the answer to one request.</summary>
    Reply = 9,

    /// <summary>Parent → worker after the definitions it preloads, and the worker's answer once it loaded them: a warm worker is ready only then.</summary>
    Ready = 10,

    /// <summary>Parent → worker running a long task: give back the tasks you were sent and have not started.</summary>
    Revoke = 11,

    /// <summary>Worker → parent, the answer to <see cref="Revoke"/>: how many tasks it gives back, and their ids (it will not run them).</summary>
    Returned = 12,
}
