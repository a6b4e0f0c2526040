using Threadbook.Measurement;

namespace Threadbook.Tests.Measurement;

/// <summary>The race runner used from a plain program: a lambda per attempt, no notebook.</summary>
public class RaceRunnerTests
{
    [Fact]
    public void each_attempt_is_tallied_by_the_value_it_ends_with()
    {
        var attempts = new List<int>();

        var race = RaceRunner.Run(9, number => { attempts.Add(number); return number % 3; }, "modulo");

        attempts.Should().Equal(1, 2, 3, 4, 5, 6, 7, 8, 9);
        race.Runs.Should().Equal("1", "2", "0", "1", "2", "0", "1", "2", "0");
        race.Distinct.Should().Equal(("1", 3), ("2", 3), ("0", 3));
        race.Cancelled.Should().BeFalse();
        race.ToText().Should().Contain("modulo: 9 runs, 3 distinct outcomes");
    }

    [Fact]
    public void an_attempt_that_throws_is_an_outcome_and_the_runs_go_on()
    {
        var race = RaceRunner.Run(4, number => number % 2 == 1 ? number : throw new InvalidOperationException("even attempt"));

        race.Runs.Should().Equal("1", "threw System.InvalidOperationException: even attempt", "3", "threw System.InvalidOperationException: even attempt");
        race.Distinct.Should().StartWith(("threw System.InvalidOperationException: even attempt", 2));
    }

    [Fact]
    public void a_lost_update_shows_up_as_a_second_outcome()
    {
        // Two threads add one each by read, then write. On odd attempts both read before either writes (a barrier
        // between read and write makes the bad interleaving certain); on even attempts they run one after the other.
        var race = RaceRunner.Run(6, number =>
        {
            var count = 0;
            var bothRead = new Barrier(number % 2 == 1 ? 2 : 1);
            void Add()
            {
                var read = count;
                bothRead.SignalAndWait();
                count = read + 1;
            }

            if (number % 2 == 1)
            {
                var adders = new[] { new Thread(Add), new Thread(Add) };
                Array.ForEach(adders, t => t.Start());
                Array.ForEach(adders, t => t.Join());
            }
            else
            {
                foreach (var adder in new[] { new Thread(Add), new Thread(Add) })
                {
                    adder.Start();
                    adder.Join();
                }
            }

            return count;
        }, "count += 1 on two threads");

        race.Distinct.Should().BeEquivalentTo([("1", 3), ("2", 3)], "the lost update (1) is an outcome next to the right total (2)");
    }

    [Fact]
    public void cancelling_stops_the_runs_before_the_next_attempt_and_keeps_the_tally()
    {
        using var cancel = new CancellationTokenSource();
        var attempts = 0;

        var race = RaceRunner.Run(100, number =>
        {
            attempts++;
            if (number == 3)
            {
                cancel.Cancel();
            }

            return "same";
        }, cancellationToken: cancel.Token);

        attempts.Should().Be(3);
        race.Runs.Should().HaveCount(3, "the attempt that was running when the runs were cancelled still counts");
        race.Cancelled.Should().BeTrue();
    }

    [Fact]
    public async Task an_attempt_that_gives_up_because_the_runs_were_cancelled_is_not_an_outcome()
    {
        using var cancel = new CancellationTokenSource();
        var progress = new List<int>();

        var race = await RaceRunner.RunAsync(
            100,
            async (number, token) =>
            {
                await Task.Yield();
                if (number == 3)
                {
                    await cancel.CancelAsync();
                    token.ThrowIfCancellationRequested();
                }

                return number;
            },
            "async",
            soFar => progress.Add(soFar.Runs.Count),
            cancel.Token);

        race.Runs.Should().Equal("1", "2");
        race.Cancelled.Should().BeTrue();
        progress.Should().Equal(1, 2);
    }

    [Fact]
    public void a_race_needs_at_least_one_run()
    {
        var act = () => RaceRunner.Run(0, _ => 1);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
