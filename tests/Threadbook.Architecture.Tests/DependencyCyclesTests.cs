namespace Threadbook.Architecture.Tests;

public class DependencyCyclesTests
{
    [Fact]
    public void a_graph_that_depends_one_way_has_no_cycle()
    {
        var edges = new Dictionary<string, HashSet<string>> { ["a"] = ["b", "c"], ["b"] = ["c"] };
        DependencyCycles.Find(edges).Should().BeEmpty();
    }

    [Fact]
    public void a_long_cycle_is_reported_as_the_walk_around_it()
    {
        var edges = new Dictionary<string, HashSet<string>> { ["a"] = ["b"], ["b"] = ["c"], ["c"] = ["a", "d"], ["d"] = [] };
        DependencyCycles.Find(edges).Should().ContainSingle().Which.Should().Equal("a", "b", "c");
    }
}
