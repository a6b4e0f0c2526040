using Threadbook.Scheduling;

namespace Threadbook.Exploration.Execution;

/// <summary>
/// The controller's thread while it builds the program for a schedule and checks the final state: its operations are
/// not scheduled (nothing else runs then), primitives it creates get cached ids, it may not wait, and what it prints
/// belongs to the schedule's output (tagged <c>setup</c>).
/// </summary>
internal sealed class ProgramSetupThread(ObjectIdCache objects, ScheduleOutputCapture? output) : IExploredThread
{
    public bool IsRecording => false;

    public string Name => "setup";

    public ScheduleOutputCapture? Output => output;

    public bool Yield(in ScheduledOperation operation)
    {
        if (operation.NeverWaits || operation.Target.CanProceed(operation, Environment.CurrentManagedThreadId))
        {
            return true;
        }

        throw new InvalidOperationException(
            $"The program's setup or checks would wait to {ScheduleStep.Verb(operation.Kind)} {operation.Target.Kind} '{operation.Target.Name}' " +
            "(it is not free): only the program's threads may wait.");
    }

    public void Note(string detail)
    {
    }

    public (int ObjectId, string Name) RegisterObject(string? name, string kind) => objects.Register(name, kind);
}
