using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;
using ArchitectureModel = ArchUnitNET.Domain.Architecture;

namespace Threadbook.Architecture.Tests;

/// <summary>
/// Reads the compiled engine, adapter and worker host (ArchUnitNET, from their IL) and checks the floor plan:
/// layers depend one way, areas have no cycles, the engine never names .NET Interactive, the worker never names the adapter.
/// </summary>
public class LayerTests
{
    private static readonly System.Reflection.Assembly EngineAssembly = typeof(Threadbook.Tracing.Trace).Assembly;
    private static readonly System.Reflection.Assembly AdapterAssembly = typeof(Threadbook.Interactive.ThreadbookExtension).Assembly;
    private static readonly System.Reflection.Assembly WorkerAssembly = typeof(Threadbook.Worker.Program).Assembly;

    private static readonly ArchitectureModel Model =
        new ArchLoader().LoadAssemblies(EngineAssembly, AdapterAssembly, WorkerAssembly).Build();

    private static IEnumerable<IType> EngineTypes =>
        Model.Types.Where(type => type.Assembly.FullName == EngineAssembly.FullName && !IsCompilerGenerated(type));

    [Fact]
    public void every_engine_namespace_belongs_to_a_layer()
    {
        var unplaced = EngineTypes
            .Select(type => type.Namespace.FullName)
            .Where(ns => EngineLayers.AreaOf(ns) is null)
            .Distinct()
            .Order()
            .ToList();

        unplaced.Should().BeEmpty("every engine namespace must be placed in EngineLayers (and ARCHITECTURE.md) before code uses it");
    }

    [Fact]
    public void no_engine_layer_uses_a_layer_above_it()
    {
        for (var i = 0; i < EngineLayers.LowestFirst.Count - 1; i++)
        {
            var (name, areas) = EngineLayers.LowestFirst[i];
            var above = EngineLayers.LowestFirst.Skip(i + 1).SelectMany(layer => layer.Areas).ToList();
            IArchRule rule = Types().That().ResideInAssembly(EngineAssembly).And().ResideInNamespaceMatching(EngineLayers.NamespacePattern(areas))
                .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(EngineLayers.NamespacePattern(above)))
                .Because($"the {name} layer sits below {string.Join(", ", above)}");
            rule.Check(Model);
        }
    }

    [Fact]
    public void the_engine_areas_depend_on_each_other_without_cycles()
    {
        // An area is a namespace users import and the internal namespaces beneath it (Threadbook.Processes.Wire is
        // part of Threadbook.Processes): a cycle between two areas, however long, fails.
        var areaEdges = NamespaceEdges(EngineTypes)
            .SelectMany(edge => edge.Value.Select(target => (From: EngineLayers.AreaOf(edge.Key)!, To: EngineLayers.AreaOf(target)!)))
            .Where(pair => pair.From != pair.To)
            .GroupBy(pair => pair.From)
            .ToDictionary(group => group.Key, group => group.Select(pair => pair.To).ToHashSet());

        DependencyCycles.Find(areaEdges).Select(cycle => string.Join(" → ", cycle.Append(cycle[0])))
            .Should().BeEmpty();
    }

    [Fact]
    public void no_two_engine_namespaces_use_each_other_except_an_area_and_its_own_internals()
    {
        // Finer than the area rule: every namespace on its own, so two internal namespaces of one area
        // (Threadbook.Processes.Wire, Threadbook.Processes.Pool) must not lean on each other in a circle either. A namespace
        // and the namespaces beneath it are one area (C# lets a nested namespace see its parent's types), so those pairs may.
        var edges = NamespaceEdges(EngineTypes).ToDictionary(
            edge => edge.Key,
            edge => edge.Value.Where(target => !IsWithin(edge.Key, target) && !IsWithin(target, edge.Key)).ToHashSet());

        DependencyCycles.Find(edges).Select(cycle => string.Join(" → ", cycle.Append(cycle[0])))
            .Should().BeEmpty();
    }

    [Fact]
    public void the_engine_never_references_dotnet_interactive()
    {
        EngineAssembly.GetReferencedAssemblies().Select(name => name.Name)
            .Should().NotContain(name => name!.StartsWith("Microsoft.DotNet.Interactive", StringComparison.Ordinal));

        IArchRule rule = Types().That().ResideInAssembly(EngineAssembly)
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^Microsoft\.DotNet\.Interactive(\..*)?$"))
            .Because("the engine must run in a console program, without the deprecated notebook host");
        rule.Check(Model);
    }

    [Fact]
    public void the_worker_host_references_the_engine_and_never_the_adapter()
    {
        var references = WorkerAssembly.GetReferencedAssemblies().Select(name => name.Name).ToList();
        references.Should().Contain("Threadbook");
        references.Should().NotContain(name => name == "Threadbook.Interactive" || name!.StartsWith("Microsoft.DotNet.Interactive", StringComparison.Ordinal));

        IArchRule rule = Types().That().ResideInAssembly(WorkerAssembly)
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^(Threadbook\.Interactive|Microsoft\.DotNet\.Interactive)(\..*)?$"))
            .Because("a worker process runs engine code only; it never loads the notebook adapter");
        rule.Check(Model);
    }

    [Fact]
    public void the_adapter_is_the_only_assembly_that_names_dotnet_interactive()
    {
        AdapterAssembly.GetReferencedAssemblies().Select(name => name.Name)
            .Should().Contain("Microsoft.DotNet.Interactive").And.Contain("Threadbook");
    }

    /// <summary>Namespace → namespaces its types use, within the engine.</summary>
    internal static Dictionary<string, HashSet<string>> NamespaceEdges(IEnumerable<IType> types)
    {
        var edges = new Dictionary<string, HashSet<string>>();
        foreach (var type in types)
        {
            var from = type.Namespace.FullName;
            foreach (var dependency in type.Dependencies)
            {
                var to = dependency.Target.Namespace?.FullName;
                if (to is null || to == from || EngineLayers.AreaOf(to) is null)
                {
                    continue;
                }

                if (!edges.TryGetValue(from, out var targets))
                {
                    edges[from] = targets = [];
                }

                targets.Add(to);
            }
        }

        return edges;
    }

    private static bool IsWithin(string inner, string outer) => inner.StartsWith(outer + ".", StringComparison.Ordinal);

    private static bool IsCompilerGenerated(IType type) => type.Name.StartsWith('<') || type.FullName.Contains("<PrivateImplementationDetails>", StringComparison.Ordinal);
}
