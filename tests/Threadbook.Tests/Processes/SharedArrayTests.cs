using Threadbook.Processes;
using Threadbook.Processes.SharedMemory;

namespace Threadbook.Tests.Processes;

public class SharedArrayTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void what_a_child_writes_the_parent_reads()
    {
        using var values = SharedArray<long>.Create(5);
        using var child = ChildProcess.Start(Jobs.WriteSquares, values);
        child.Join(Patience).Should().BeTrue();

        child.Error.Should().BeNull();
        values.ToArray().Should().Equal(0, 1, 4, 9, 16);
    }

    [Fact]
    public void locked_increments_from_two_children_are_exact()
    {
        using var counter = SharedArray<int>.Create(1); // one element, zero (Create(0) would be an empty array, as Python's Array('i', 0))
        using var first = ChildProcess.Start(Jobs.IncrementLocked, counter, 5000);
        using var second = ChildProcess.Start(Jobs.IncrementLocked, counter, 5000);
        first.Join(Patience).Should().BeTrue();
        second.Join(Patience).Should().BeTrue();

        first.Error.Should().BeNull();
        second.Error.Should().BeNull();
        counter[0].Should().Be(10_000, "every read-modify-write ran under the array's process lock");
    }

    [Fact]
    public void opening_it_as_another_element_type_is_refused()
    {
        using var values = SharedArray<int>.Create(1, 2);

        var open = () => SharedArray<double>.Open(values.Name);

        open.Should().Throw<InvalidDataException>().WithMessage("*holds System.Int32*not System.Double*");
    }

    [Fact]
    public void an_index_outside_the_array_is_refused_with_its_length()
    {
        using var values = SharedArray<int>.Create(3);

        var read = () => values[3];

        read.Should().Throw<IndexOutOfRangeException>().WithMessage("*3*3 elements*");
    }

    [Fact]
    public void the_python_type_codes_map_to_csharp_types()
    {
        SharedArray.TypeFor('i').Should().Be<int>();
        SharedArray.TypeFor('d').Should().Be<double>();
        SharedArray.TypeFor('l').Should().Be<long>("C's long is 8 bytes on 64-bit Linux");
        var unknown = () => SharedArray.TypeFor('z');
        unknown.Should().Throw<ArgumentException>().WithMessage("*'z'*type code*");
    }

    [Fact]
    public void dispose_removes_the_shared_memory_file()
    {
        var values = SharedArray<int>.Create(1, 2, 3);
        var path = values.FilePath;
        File.Exists(path).Should().BeTrue();

        values.Dispose();

        File.Exists(path).Should().BeFalse();
        var open = () => SharedArray<int>.Open(values.Name);
        open.Should().Throw<FileNotFoundException>().WithMessage("*no longer exists*");
    }

    [Fact]
    public void a_child_that_exits_normally_leaves_no_shared_memory_file()
    {
        using var child = ChildProcess.Start(Jobs.CreateArrayAndReturnPath);
        child.Join(Patience).Should().BeTrue();

        var path = child.Result.Should().BeOfType<string>().Subject;
        path.Should().StartWith(SharedArray.Folder);
        File.Exists(path).Should().BeFalse("the creator deletes its shared memory when it exits");
    }

    [Fact]
    public void a_killed_creators_files_are_swept()
    {
        // A creator killed with SIGKILL cannot clean up: its file is removed when another process next creates one.
        var name = $"threadbook-{int.MaxValue - 1}-{Guid.NewGuid():N}"[..40];
        var orphan = Path.Combine(SharedArray.Folder, name);
        File.WriteAllText(orphan, "left behind");

        SharedMemoryFile.SweepOrphans().Should().BeGreaterThanOrEqualTo(1);

        File.Exists(orphan).Should().BeFalse();
    }
}
