using Threadbook.Processes;

namespace Threadbook.Tests.Processes;

public class SharedDictionaryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void what_children_set_the_parent_sees()
    {
        using var dictionary = SharedDictionary.Create();
        var children = Enumerable.Range(0, 3).Select(i => ChildProcess.Start(Jobs.RecordPid, dictionary, $"child {i}")).ToList();
        foreach (var child in children)
        {
            child.Join(Patience).Should().BeTrue();
            child.Error.Should().BeNull();
        }

        dictionary.Count.Should().Be(3);
        for (var i = 0; i < children.Count; i++)
        {
            dictionary[$"child {i}"].Should().Be(children[i].Pid, "child {0} wrote its own pid", i);
        }
    }

    [Fact]
    public void a_child_reads_what_the_parent_set()
    {
        using var dictionary = SharedDictionary.Create();
        dictionary["greeting"] = "set by the parent";

        using var child = ChildProcess.Start(Jobs.ReadText, dictionary, "greeting");
        child.Join(Patience).Should().BeTrue();

        child.Result.Should().Be("set by the parent");
    }

    [Fact]
    public void the_documented_value_types_travel_and_come_back_as_copies()
    {
        using var dictionary = SharedDictionary.Create();
        using var child = ChildProcess.Start(Jobs.StoreSamples, dictionary);
        child.Join(Patience).Should().BeTrue();
        child.Error.Should().BeNull();

        dictionary.Get<List<int>>("list").Should().Equal(1, 2, 3);
        dictionary["list"].Should().BeOfType<List<int>>("the parent knows the type the child stored");
        dictionary.Get<Dictionary<string, double>>("map").Should().ContainKey("pi").WhoseValue.Should().Be(3.25);
        dictionary[7].Should().Be(true);
        dictionary.TryGetValue("nothing", out var nothing).Should().BeTrue();
        nothing.Should().BeNull();
        dictionary.Keys.Should().Equal("list", "map", 7, "nothing");

        var copy = dictionary.Get<List<int>>("list")!;
        copy.Add(4);
        dictionary.Get<List<int>>("list").Should().Equal([1, 2, 3], "a read is a copy: change it and set it again to store the change");
    }

    [Fact]
    public void a_value_that_cannot_travel_is_refused_naming_its_type()
    {
        using var dictionary = SharedDictionary.Create();

        var store = () => dictionary["callback"] = new Action(() => { });

        store.Should().Throw<ArgumentException>().WithMessage("*Action*cannot*");
        dictionary.ContainsKey("callback").Should().BeFalse();
    }

    [Fact]
    public void a_key_that_is_neither_text_nor_a_whole_number_is_refused()
    {
        using var dictionary = SharedDictionary.Create();

        var store = () => dictionary[2.5] = 1;

        store.Should().Throw<ArgumentException>().WithMessage("*key*");
    }

    [Fact]
    public void a_missing_key_is_a_key_not_found_error_naming_it()
    {
        using var dictionary = SharedDictionary.Create();

        var read = () => dictionary["absent"];

        read.Should().Throw<KeyNotFoundException>().WithMessage("*absent*");
    }

    [Fact]
    public void after_the_owner_disposes_it_reads_fail_clearly()
    {
        var dictionary = SharedDictionary.Create();
        dictionary["greeting"] = "hello";
        dictionary.Dispose();

        var read = () => dictionary["greeting"];
        read.Should().Throw<ObjectDisposedException>();
    }
}
