using System.Reflection;
using Threadbook.Processes;
using Threadbook.Processes.Wire;

namespace Threadbook.Worker;

/// <summary>A function the worker found, ready to call.</summary>
internal sealed record LoadedFunction(FunctionDefinition Definition, MethodInfo Method, ParameterInfo[] Parameters);
