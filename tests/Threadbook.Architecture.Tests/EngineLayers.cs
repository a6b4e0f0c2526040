namespace Threadbook.Architecture.Tests;

/// <summary>
/// The engine's floor plan: its areas (a namespace and the internal namespaces beneath it), lowest layer first.
/// A layer may use the layers below it and, without cycles, its own; never one above. ARCHITECTURE.md explains each.
/// </summary>
public static class EngineLayers
{
    public static readonly IReadOnlyList<(string Name, string[] Areas)> LowestFirst =
    [
        ("rendering primitives", ["Threadbook.Rendering"]),
        ("leaves", ["Threadbook.Introspection", "Threadbook.Scheduling", "Threadbook.Hosting", "Threadbook.Lessons"]),
        ("tracing", ["Threadbook.Tracing"]),
        ("cells, threading, fibers", ["Threadbook.Cells", "Threadbook.Threading", "Threadbook.Fibers"]),
        ("processes, servers, exploration, measurement", ["Threadbook.Processes", "Threadbook.Servers", "Threadbook.Exploration", "Threadbook.Measurement", "Threadbook.Python"]),
        ("charts", ["Threadbook.Charts"]),
    ];

    /// <summary>The area a namespace belongs to (<c>Threadbook.Processes.Wire</c> → <c>Threadbook.Processes</c>), or null.</summary>
    public static string? AreaOf(string? ns) =>
        ns is null ? null : LowestFirst.SelectMany(layer => layer.Areas).FirstOrDefault(area => ns == area || ns.StartsWith(area + ".", StringComparison.Ordinal));

    /// <summary>The layer index of an area (0 = lowest).</summary>
    public static int LayerOf(string area)
    {
        for (var i = 0; i < LowestFirst.Count; i++)
        {
            if (LowestFirst[i].Areas.Contains(area))
            {
                return i;
            }
        }

        throw new ArgumentException($"'{area}' is in no layer.", nameof(area));
    }

    /// <summary>A regular expression matching the namespaces of the given areas and everything beneath them.</summary>
    public static string NamespacePattern(IEnumerable<string> areas) =>
        "^(" + string.Join("|", areas.Select(area => System.Text.RegularExpressions.Regex.Escape(area))) + @")(\..*)?$";
}
