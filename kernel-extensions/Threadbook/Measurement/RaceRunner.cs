namespace Threadbook.Measurement;

/// <summary>
/// Runs the same racy code many times and tallies the value each attempt ended with, so that a race shows up as
/// several outcomes and correct code as one. Each attempt must start from scratch (make its own state): the runner
/// only calls it, one attempt after another, and counts.
/// </summary>
/// <remarks>
/// An attempt that throws is an outcome too (<c>threw</c> and the exception's first line). Once cancelled, the runner
/// makes no further attempt and returns what it tallied so far, with <see cref="RaceOutcomes.Cancelled"/> set.
/// </remarks>
public static class RaceRunner
{
    /// <summary>
    /// Calls <paramref name="attempt"/> <paramref name="runs"/> times on the calling thread (with the attempt's number,
    /// from 1) and tallies what each returned.
    /// </summary>
    /// <param name="runs">How many attempts to make (at least 1).</param>
    /// <param name="attempt">One attempt from scratch; returns the value it ended with.</param>
    /// <param name="label">What ran, for the tally's caption.</param>
    /// <param name="cancellationToken">Stops the runs before the next attempt.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="runs"/> is less than 1.</exception>
    public static RaceOutcomes Run(int runs, Func<int, object?> attempt, string label = "race", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);

        // Every task the delegate below returns is already complete, so RunAsync finishes before it returns: no thread
        // is blocked waiting for another.
        return RunAsync(runs, (number, _) => Task.FromResult(attempt(number)), label, cancellationToken: cancellationToken).GetAwaiter().GetResult();
    }

    /// <summary>
    /// Awaits <paramref name="attempt"/> <paramref name="runs"/> times, one after another (with the attempt's number,
    /// from 1, and the cancellation token), and tallies what each returned.
    /// </summary>
    /// <param name="runs">How many attempts to make (at least 1).</param>
    /// <param name="attempt">One attempt from scratch; returns the value it ended with.</param>
    /// <param name="label">What ran, for the tally's caption.</param>
    /// <param name="afterEachAttempt">Called after each tallied attempt with the tally so far (for a progress view).</param>
    /// <param name="cancellationToken">
    /// Stops the runs before the next attempt; an attempt that throws <see cref="OperationCanceledException"/> once it
    /// is cancelled is not tallied.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="runs"/> is less than 1.</exception>
    public static async Task<RaceOutcomes> RunAsync(
        int runs,
        Func<int, CancellationToken, Task<object?>> attempt,
        string label = "race",
        Action<RaceOutcomes>? afterEachAttempt = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        ArgumentNullException.ThrowIfNull(attempt);
        var outcomes = new RaceOutcomes(label);
        for (var number = 1; number <= runs; number++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                outcomes.MarkCancelled();
                return outcomes;
            }

            string outcome;
            try
            {
                outcome = RaceOutcomes.Describe(await attempt(number, cancellationToken));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                outcomes.MarkCancelled();
                return outcomes;
            }
            catch (Exception e)
            {
                outcome = RaceOutcomes.DescribeException(e);
            }

            outcomes.Add(outcome);
            afterEachAttempt?.Invoke(outcomes);
        }

        return outcomes;
    }
}
