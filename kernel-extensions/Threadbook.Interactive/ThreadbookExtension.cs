using System.Net;
using System.Reflection;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Directives;
using Threadbook.Rendering;

namespace Threadbook.Interactive;

/// <summary>
/// Loads Threadbook into a .NET Interactive kernel: formatters and magic commands. The package's
/// <c>extension.dib</c> calls <see cref="LoadAsync"/> after <c>#r "nuget: Threadbook.Interactive"</c>.
/// </summary>
public static class ThreadbookExtension
{
    /// <summary>Registers formatters and magic commands on <paramref name="kernel"/> (normally the root kernel) and shows the banner.</summary>
    public static Task LoadAsync(Kernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);

        ThreadbookFormatters.Register();
        CellTracking.Install(kernel);

        KernelActionDirective[] magics =
        [
            ThreadsMagic.AddTo(kernel),
            TraceMagic.AddTo(kernel),
            PythonMagic.AddTo(kernel),
            ThreadPoolMagic.AddTo(kernel),
            TimeitMagic.AddTo(kernel),
            RaceMagic.AddTo(kernel),
            WorkerMagic.AddTo(kernel),
            PoolMagic.AddTo(kernel),
            ExploreMagic.AddTo(kernel),
        ];

        KernelInvocationContext.Current?.Display(Banner(magics), "text/html", "text/plain");
        return Task.CompletedTask;
    }

    /// <summary>The version the loaded package was built as.</summary>
    public static string Version =>
        typeof(ThreadbookExtension).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "unknown";

    private static LoadedBanner Banner(IEnumerable<KernelActionDirective> magics)
    {
        var table = new Table("magic", "what it does") { Caption = "Magic commands (type one at the top of a C# cell; add --help to see its options)" };
        foreach (var magic in magics)
        {
            table.AddRow(magic.Name, magic.Description);
        }

        return new LoadedBanner(Version, table);
    }

    /// <summary>The short note shown when the extension loads.</summary>
    private sealed class LoadedBanner(string version, Table magics) : IRenderable
    {
        public string ToHtml() =>
            $"<details><summary>Threadbook {WebUtility.HtmlEncode(version)} is loaded: magic commands and formatters for threads, locks, processes and coroutines.</summary>{magics.ToHtml()}</details>";

        public string ToText() => $"Threadbook {version} is loaded.{Environment.NewLine}{magics.ToText()}";

        public override string ToString() => ToText();
    }
}
