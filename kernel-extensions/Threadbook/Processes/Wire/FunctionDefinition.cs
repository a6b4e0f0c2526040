namespace Threadbook.Processes.Wire;

/// <summary>A <see cref="MessageKind.Define"/> as the worker reads it: how to find a function it will be asked to run.</summary>
internal sealed record FunctionDefinition(int Id, string AssemblyPath, string TypeName, string MethodName, IReadOnlyList<string> ParameterTypes)
{
    /// <summary>How a person names it: <c>Jobs.Foo</c>.</summary>
    public string DisplayName => $"{TypeName[(TypeName.LastIndexOfAny(['.', '+']) + 1)..]}.{MethodName}";
}
