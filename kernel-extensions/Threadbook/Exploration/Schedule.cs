using System.Globalization;

namespace Threadbook.Exploration;

/// <summary>
/// One interleaving, exactly: which thread took each step, as thread numbers (1 is the program's first thread).
/// <see cref="Explorer.Replay"/> runs a program along it again, step for step, which makes a failing schedule a
/// regression test: <c>Explorer.Replay(program, Schedule.Parse("1,2,1,2")).Bug</c>. Written as comma-separated
/// numbers, <see cref="ToString"/> and <see cref="Parse"/> round-trip.
/// </summary>
public sealed class Schedule : IEquatable<Schedule>
{
    private readonly int[] _threadIndexes;

    internal Schedule(int[] threadIndexes) => _threadIndexes = threadIndexes;

    /// <summary>The thread number (1-based) of each step.</summary>
    public IReadOnlyList<int> Threads => _threadIndexes.Select(index => index + 1).ToArray();

    /// <summary>How many steps.</summary>
    public int Length => _threadIndexes.Length;

    /// <summary>The 0-based thread index of step <paramref name="step"/> (0-based).</summary>
    internal int IndexAt(int step) => _threadIndexes[step];

    /// <summary>Reads <c>1,2,1,2</c> (spaces allowed).</summary>
    /// <exception cref="FormatException">The text is not a list of positive thread numbers.</exception>
    public static Schedule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var indexes = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1 || number > ExploredProgram.MaxThreads)
            {
                throw new FormatException($"A schedule is a list of thread numbers from 1 to {ExploredProgram.MaxThreads} separated by commas, like 1,2,1,2; '{parts[i]}' is not one.");
            }

            indexes[i] = number - 1;
        }

        return new Schedule(indexes);
    }

    /// <summary><c>1,2,1,2</c>.</summary>
    public override string ToString() => string.Join(",", _threadIndexes.Select(index => (index + 1).ToString(CultureInfo.InvariantCulture)));

    /// <inheritdoc />
    public bool Equals(Schedule? other) => other is not null && _threadIndexes.AsSpan().SequenceEqual(other._threadIndexes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Schedule);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var index in _threadIndexes)
        {
            hash.Add(index);
        }

        return hash.ToHashCode();
    }
}
