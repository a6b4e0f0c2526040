using System.Text;

namespace Threadbook.Exploration.Execution;

/// <summary>
/// What the program's threads wrote to the console during one schedule, as whole lines tagged with the writing thread
/// (<c>t1: hello</c>, <c>t1 (stderr): oops</c>), in the order they were ended. Bounded: the first
/// <see cref="MaxLines"/> lines are kept and the rest only counted, and a line is cut at <see cref="MaxLineLength"/>
/// characters, so a printing loop cannot exhaust memory. Reused from one schedule to the next (<see cref="Clear"/>).
/// </summary>
internal sealed class ScheduleOutputCapture
{
    /// <summary>The most lines one schedule keeps.</summary>
    public const int MaxLines = 200;

    /// <summary>The most characters one kept line has.</summary>
    public const int MaxLineLength = 1_000;

    private const string Cut = " …";

    private readonly object _gate = new();
    private readonly List<string> _lines = [];

    // The line each thread and stream is still writing: threads may interleave partial writes (Console.Write).
    private readonly List<(string Label, StringBuilder Text)> _unfinished = [];
    private int _dropped;

    /// <summary>Forgets the previous schedule's output (nothing to do when it printed nothing).</summary>
    public void Clear()
    {
        // Called between schedules, when none of the program's threads writes: an empty capture needs no lock.
        if (_lines.Count == 0 && _unfinished.Count == 0 && _dropped == 0)
        {
            return;
        }

        lock (_gate)
        {
            _lines.Clear();
            _unfinished.Clear();
            _dropped = 0;
        }
    }

    /// <summary>Adds <paramref name="text"/> written by the thread <paramref name="source"/> to <paramref name="stream"/> (<c>stdout</c> or <c>stderr</c>).</summary>
    public void Write(string source, string stream, string text)
    {
        var label = stream == "stderr" ? $"{source} (stderr)" : source;
        lock (_gate)
        {
            var start = 0;
            while (true)
            {
                var end = text.IndexOf('\n', start);
                var piece = text.AsSpan(start, (end < 0 ? text.Length : end) - start);
                if (end < 0 && piece.IsEmpty)
                {
                    return;
                }

                var line = Unfinished(label);
                line.Append(piece[..Math.Min(piece.Length, Math.Max(0, MaxLineLength + 1 - line.Length))]);
                if (end < 0)
                {
                    return;
                }

                EndLine(label, line);
                start = end + 1;
            }
        }
    }

    /// <summary>The lines so far, a line still unfinished included, and how many lines were dropped past <see cref="MaxLines"/>.</summary>
    public (IReadOnlyList<string> Lines, int Dropped) Snapshot()
    {
        lock (_gate)
        {
            var lines = new List<string>(_lines);
            var dropped = _dropped;
            foreach (var (label, text) in _unfinished.Where(line => line.Text.Length > 0))
            {
                if (lines.Count < MaxLines)
                {
                    lines.Add(Tagged(label, text));
                }
                else
                {
                    dropped++;
                }
            }

            return (lines, dropped);
        }
    }

    private StringBuilder Unfinished(string label)
    {
        foreach (var (existing, text) in _unfinished)
        {
            if (existing == label)
            {
                return text;
            }
        }

        var line = new StringBuilder();
        _unfinished.Add((label, line));
        return line;
    }

    private void EndLine(string label, StringBuilder line)
    {
        if (_lines.Count < MaxLines)
        {
            _lines.Add(Tagged(label, line));
        }
        else
        {
            _dropped++;
        }

        _unfinished.RemoveAll(unfinished => unfinished.Label == label);
    }

    private static string Tagged(string label, StringBuilder line)
    {
        var text = line.ToString().TrimEnd('\r');
        return text.Length > MaxLineLength ? $"{label}: {text[..MaxLineLength]}{Cut}" : $"{label}: {text}";
    }
}
