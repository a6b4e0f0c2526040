using Threadbook.Processes;
using Threadbook.Processes.Workers;

namespace Threadbook.Tests.Processes;

/// <summary>A script's <c>Submission#N+</c> wrapper is stripped in one place, for the type names workers load and the names code is registered under.</summary>
public sealed class ScriptSubmissionNamesTests
{
    [Theory]
    [InlineData("Submission#3+Jobs", "Jobs")]
    [InlineData("Submission#12+Outer+Inner", "Outer+Inner")]
    [InlineData("System.Collections.Generic.List`1[Submission#4+Point]", "System.Collections.Generic.List`1[Point]")]
    [InlineData("MyCode.Jobs", "MyCode.Jobs")]
    public void the_script_wrapper_is_stripped_wherever_it_appears(string clrName, string written)
    {
        ScriptSubmissionNames.Strip(clrName).Should().Be(written);
    }

    [Fact]
    public void a_compiled_type_is_named_as_written_with_dots_for_nesting()
    {
        WorkerAssemblies.NameAsWritten(typeof(Outer.Inner)).Should().Be("Threadbook.Tests.Processes.ScriptSubmissionNamesTests.Outer.Inner");
    }

    [Fact]
    public void errors_name_where_this_host_declares_worker_code()
    {
        var saved = WorkerAssemblies.WhereToDeclareWorkerCode;
        try
        {
            WorkerAssemblies.WhereToDeclareWorkerCode = "in a #!worker cell";
            var refused = () => WorkerFunction.From(new Func<int, int>(x => x + 1));

            refused.Should().Throw<ArgumentException>().WithMessage("*pass a public static method, e.g. one declared in a #!worker cell*");
        }
        finally
        {
            WorkerAssemblies.WhereToDeclareWorkerCode = saved;
        }

        var byDefault = () => WorkerFunction.From(new Func<int, int>(x => x + 1));
        byDefault.Should().Throw<ArgumentException>().WithMessage("*e.g. one declared in a public class of a compiled assembly*").Which.Message.Should().NotContain("#!worker");
    }

    public static class Outer
    {
        public static class Inner
        {
        }
    }
}
