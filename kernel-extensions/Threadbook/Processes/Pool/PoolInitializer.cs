using Threadbook.Processes.Wire;

namespace Threadbook.Processes.Pool;

/// <summary>A pool's <c>initializer</c> and <c>initargs</c> (Python's): the call each worker runs once, before its first task.</summary>
internal sealed class PoolInitializer
{
    private readonly object?[] _arguments;
    private readonly byte[] _argumentsJson;

    /// <exception cref="ArgumentException">The function cannot run in another process, the argument count is wrong, or an argument cannot be sent.</exception>
    public PoolInitializer(Delegate function, object?[]? arguments)
    {
        Function = WorkerFunction.From(function);
        _arguments = arguments ?? [];
        Function.CheckArgumentCount(_arguments);
        _argumentsJson = ProcessJson.SerializeArguments(_arguments);
    }

    public WorkerFunction Function { get; }

    /// <summary>The run of it in one new worker.</summary>
    public PoolTask NewTask(long id, ExecutionContext? context) =>
        new(id, Function, _arguments, _argumentsJson, callback: null, errorCallback: null, context, isInitializer: true);
}
