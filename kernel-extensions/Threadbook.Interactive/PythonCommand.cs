namespace Threadbook.Interactive;

/// <summary>The command behind <c>#!python</c>; its properties are bound from the magic's options.</summary>
public sealed class PythonCommand : MagicCommand
{
    /// <summary><c>--timeout</c>: seconds before the program's process tree is killed (default 60).</summary>
    public double? Timeout { get; set; }

    /// <summary><c>--python</c>: the interpreter (default: THREADBOOK_PYTHON, else /usr/bin/python3).</summary>
    public string? Python { get; set; }

    /// <summary><c>--out</c>: a C# variable that receives the program's last output line, parsed as JSON.</summary>
    public string? Out { get; set; }

    /// <summary><c>--timeline</c>: sample the program's OS threads while it runs and draw them on a CPU timeline afterwards.</summary>
    public bool Timeline { get; set; }
}
