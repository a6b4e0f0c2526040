using System.Runtime.CompilerServices;
using Threadbook.Servers;

namespace Threadbook.Worker;

/// <summary>
/// Lets a forking server's child (<see cref="ForkedChildProgram"/>, in the engine) load the handler's assembly the way the
/// worker loads functions: in a <see cref="FolderLoadContext"/> for its folder, so the handler's own dependencies
/// resolve and Threadbook's types are the worker's. Installed when the worker's module loads, before <c>Main</c>
/// runs, so the worker's start-up code needs no step for it.
/// </summary>
internal static class HandlerAssemblyLoading
{
#pragma warning disable CA2255 // this is the application's own module, not a library
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Install() =>
        ForkedChildProgram.LoadAssembly = path => new FolderLoadContext(Path.GetDirectoryName(Path.GetFullPath(path))!).LoadFile(Path.GetFullPath(path));
}
