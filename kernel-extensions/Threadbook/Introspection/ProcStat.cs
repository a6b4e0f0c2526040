using System.Globalization;

namespace Threadbook.Introspection;

/// <summary>The few fields of a <c>/proc/&lt;pid&gt;/task/&lt;tid&gt;/stat</c> or <c>schedstat</c> line the CPU sampler needs.</summary>
internal static class ProcStat
{
    /// <summary>
    /// Parses a stat line (proc(5)): the name is in parentheses and may itself hold spaces and parentheses, so it ends
    /// at the last ')'. False when the line is cut short or malformed.
    /// </summary>
    public static bool TryParse(string line, out string name, out char state, out long cpuTicks)
    {
        name = "";
        state = '?';
        cpuTicks = 0;
        var open = line.IndexOf('(');
        var close = line.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return false;
        }

        var fields = line[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 of proc(5), the state; utime is field 14, stime 15.
        if (fields.Length < 13 || fields[0].Length != 1 ||
            !long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var utime) ||
            !long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var stime))
        {
            return false;
        }

        name = line[(open + 1)..close];
        state = fields[0][0];
        cpuTicks = utime + stime;
        return true;
    }

    /// <summary>Parses a schedstat line: nanoseconds on a CPU, nanoseconds waiting on a run queue, time slices.</summary>
    public static bool TryParseSchedStat(ReadOnlySpan<byte> text, out long runNanoseconds, out long waitNanoseconds)
    {
        runNanoseconds = 0;
        waitNanoseconds = 0;
        var i = 0;
        return Number(text, ref i, out runNanoseconds) && Number(text, ref i, out waitNanoseconds);

        static bool Number(ReadOnlySpan<byte> text, ref int i, out long value)
        {
            value = 0;
            while (i < text.Length && text[i] == (byte)' ')
            {
                i++;
            }

            var start = i;
            while (i < text.Length && text[i] is >= (byte)'0' and <= (byte)'9')
            {
                value = (value * 10) + (text[i] - '0');
                i++;
            }

            return i > start;
        }
    }
}
