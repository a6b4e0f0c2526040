namespace Threadbook.Exploration.Execution;

/// <summary>Counts the schedules by how they ended, in the order the outcomes were first seen.</summary>
internal sealed class OutcomeTally
{
    private readonly Dictionary<(string Outcome, string? Bug), int> _indexes = [];
    private readonly List<OutcomeCount> _outcomes = [];

    public void Add(ScheduleOutcome outcome)
    {
        var key = (outcome.Outcome, outcome.Bug?.Description);
        if (_indexes.TryGetValue(key, out var index))
        {
            _outcomes[index] = _outcomes[index] with { Count = _outcomes[index].Count + 1 };
        }
        else
        {
            _indexes[key] = _outcomes.Count;
            _outcomes.Add(new OutcomeCount(outcome.Outcome, 1, outcome.Bug, outcome.Schedule));
        }
    }

    public IReadOnlyList<OutcomeCount> ToList() => [.. _outcomes];
}
