namespace Threadbook.Interactive;

/// <summary>The command behind <c>#!worker</c> (no options besides <c>--help</c>).</summary>
public sealed class WorkerCommand : MagicCommand
{
}
