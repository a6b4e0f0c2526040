namespace Threadbook.Interactive.Tests;

/// <summary>The process types shown as a cell's value: a few readable lines, not kilobytes of reflected properties.</summary>
public sealed class ProcessFormatterTests(ExtensionKernel kernel) : IClassFixture<ExtensionKernel>, IAsyncLifetime
{
    private const int MaxHtmlLength = 2048;

    public async Task InitializeAsync() => (await kernel.SubmitAsync("""
        #!worker
        public static class ShownJobs
        {
            public static int Add(int a, int b) => a + b;

            public static int Fail(int i) => throw new System.InvalidOperationException($"task {i} failed on purpose");
        }
        """)).ShouldSucceed();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(string Text, string Html)> ShowAsync(string cell)
    {
        var events = (await kernel.SubmitAsync(cell)).ShouldSucceed();
        var text = events.Shown("text/plain").Should().ContainSingle().Subject;
        var html = events.Shown("text/html").Should().ContainSingle().Subject;
        html.Length.Should().BeLessThan(MaxHtmlLength, "a view stays small");
        html.Should().StartWith("<").And.NotContain("<style", "it is Threadbook's table, not .NET Interactive's reflection of the object");
        return (text, html);
    }

    [Fact]
    public async Task a_child_process_shows_its_call_pid_result_and_exit_code()
    {
        var (text, _) = await ShowAsync("""
            var child = Threadbook.Processes.ChildProcess.Start(ShownJobs.Add, 2, 3);
            child.Join();
            Console.Write(child.Pid);
            child
            """);

        text.Should().StartWith("ChildProcess Add(2, 3)").And.MatchRegex(@"pid\s+\d+").And.Contain("returned 5").And.MatchRegex(@"exit code\s+0");
    }

    [Fact]
    public async Task a_shared_array_shows_its_values_element_type_and_lock()
    {
        var (text, _) = await ShowAsync("""
            var shownArray = Threadbook.Processes.SharedArray<int>.Create(11, 22, 33, 44);
            shownArray[0] = 100;
            shownArray
            """);

        text.Should().StartWith("SharedArray<int>").And.Contain("100, 22, 33, 44").And.Contain("int, 4 bytes").And.MatchRegex(@"lock\s+free");
        (await kernel.SubmitAsync("shownArray.Dispose();")).ShouldSucceed();
    }

    [Fact]
    public async Task a_shared_dictionary_shows_its_entries_and_owner()
    {
        var (text, _) = await ShowAsync("""
            var shownDictionary = Threadbook.Processes.SharedDictionary.Create();
            shownDictionary[1] = 101;
            shownDictionary["name"] = "Foo";
            shownDictionary
            """);

        text.Should().Contain($"owned by process {Environment.ProcessId} (this process)").And.MatchRegex(@"entries\s+2").And.Contain("101").And.Contain("Foo");
        (await kernel.SubmitAsync("shownDictionary.Dispose();")).ShouldSucceed();
    }

    [Fact]
    public async Task an_async_result_shows_the_remote_exception_and_the_process_that_ran_it()
    {
        var (text, _) = await ShowAsync("""
            var shownPool = new Threadbook.Processes.ProcessPool(1);
            var failed = shownPool.ApplyAsync(ShownJobs.Fail, [7]);
            failed.Wait();
            failed
            """);

        text.Should().StartWith("AsyncResult of Fail(7)").And.Contain("failed").And.Contain("task 7 failed on purpose").And.MatchRegex(@"process\s+\d+");

        var (poolText, _) = await ShowAsync("shownPool");
        poolText.Should().StartWith("ProcessPool(1): running").And.Contain("1 failed");
        (await kernel.SubmitAsync("shownPool.Dispose();")).ShouldSucceed();
    }

    [Fact]
    public async Task a_process_lock_shows_who_holds_it_and_how_deep()
    {
        var (text, _) = await ShowAsync("""
            var shownLock = Threadbook.Processes.ProcessLock.Create();
            shownLock.Acquire();
            shownLock.Acquire();
            shownLock
            """);

        text.Should().Contain($"of process {Environment.ProcessId} (this process), 2 deep");
        (await kernel.SubmitAsync("shownLock.Release(); shownLock.Release(); shownLock.Dispose();")).ShouldSucceed();
    }
}
