namespace Threadbook.Architecture.Tests;

/// <summary>Finds the cycles of a dependency graph: one per strongly connected component of two or more nodes.</summary>
public static class DependencyCycles
{
    /// <summary>Each cycle as the nodes of its component in a walkable order (each node uses the next, the last the first).</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Find(IReadOnlyDictionary<string, HashSet<string>> edges)
    {
        var cycles = new List<IReadOnlyList<string>>();
        foreach (var component in Components(edges).Where(component => component.Count > 1))
        {
            cycles.Add(WalkWithin(component, edges));
        }

        return cycles;
    }

    private static List<HashSet<string>> Components(IReadOnlyDictionary<string, HashSet<string>> edges)
    {
        // Tarjan's algorithm; the graphs here have a few dozen nodes, so recursion depth is no concern.
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var components = new List<HashSet<string>>();
        var next = 0;

        void Visit(string node)
        {
            index[node] = low[node] = next++;
            stack.Push(node);
            onStack.Add(node);
            foreach (var target in edges.TryGetValue(node, out var targets) ? targets : [])
            {
                if (!index.ContainsKey(target))
                {
                    Visit(target);
                    low[node] = Math.Min(low[node], low[target]);
                }
                else if (onStack.Contains(target))
                {
                    low[node] = Math.Min(low[node], index[target]);
                }
            }

            if (low[node] == index[node])
            {
                var component = new HashSet<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                components.Add(component);
            }
        }

        foreach (var node in edges.Keys.Concat(edges.Values.SelectMany(targets => targets)).Distinct().Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return components;
    }

    private static List<string> WalkWithin(HashSet<string> component, IReadOnlyDictionary<string, HashSet<string>> edges)
    {
        // Shortest way from the first node back to itself inside the component (breadth first).
        var start = component.Order(StringComparer.Ordinal).First();
        var previous = new Dictionary<string, string>();
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var target in edges[node].Where(component.Contains).Order(StringComparer.Ordinal))
            {
                if (target == start)
                {
                    var path = new List<string> { node };
                    while (path[^1] != start)
                    {
                        path.Add(previous[path[^1]]);
                    }

                    path.Reverse();
                    return path;
                }

                if (previous.TryAdd(target, node))
                {
                    queue.Enqueue(target);
                }
            }
        }

        return [.. component.Order(StringComparer.Ordinal)];
    }
}
