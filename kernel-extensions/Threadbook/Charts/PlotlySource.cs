using System.Collections.Concurrent;

namespace Threadbook.Charts;

/// <summary>
/// Where a chart's HTML gets plotly.js from: a URL the browser loads (by default the pinned CDN build) or a
/// local file whose content is written into the HTML. Immutable; set the process-wide choice with
/// <see cref="ChartOptions.PlotlySource"/>.
/// </summary>
public sealed class PlotlySource
{
    /// <summary>
    /// The plotly.js version the CDN source loads: the last 2.x release, the line XPlot.Plotly 4.1.0's traces were
    /// written for (the renderer also rewrites XPlot's string titles into the object form plotly.js 3+ needs).
    /// </summary>
    public const string PinnedVersion = "2.35.3";

    /// <summary>The CDN address of <see cref="PinnedVersion"/>.</summary>
    public const string CdnUrl = "https://cdn.plot.ly/plotly-" + PinnedVersion + ".min.js";

    // A file's content is read once per version of the file: charts render often, plotly.js is 4.5 MB.
    private static readonly ConcurrentDictionary<string, InlinedScript> InlinedScripts = new(StringComparer.Ordinal);

    private PlotlySource(PlotlySourceKind kind, string location)
    {
        Kind = kind;
        Location = location;
    }

    /// <summary>The pinned plotly.js build from Plotly's CDN (<see cref="CdnUrl"/>); the default.</summary>
    public static PlotlySource Cdn { get; } = new(PlotlySourceKind.Url, CdnUrl);

    /// <summary>Whether the browser loads a URL or the HTML carries a file's content.</summary>
    public PlotlySourceKind Kind { get; }

    /// <summary>The URL (for <see cref="PlotlySourceKind.Url"/>) or the full file path (for <see cref="PlotlySourceKind.File"/>).</summary>
    public string Location { get; }

    /// <summary>
    /// plotly.js from <paramref name="url"/>: an http(s) URL, a protocol-relative one (<c>//host/plotly.min.js</c>), or a
    /// path relative to the page that shows the chart.
    /// </summary>
    /// <exception cref="ArgumentException">The text is empty, not a URL, or a <c>file:</c> URL (use <see cref="FromFile"/>).</exception>
    public static PlotlySource FromUrl(string url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        url = url.Trim();
        if (!Uri.TryCreate(url, UriKind.RelativeOrAbsolute, out var uri))
        {
            throw new ArgumentException($"'{url}' is not a URL.", nameof(url));
        }

        if (uri.IsAbsoluteUri && uri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException(
                $"'{url}' is not an http or https URL; for a file on this machine use PlotlySource.FromFile, which puts its content into the chart's HTML.",
                nameof(url));
        }

        return new PlotlySource(PlotlySourceKind.Url, url);
    }

    /// <summary>
    /// plotly.js read from the file at <paramref name="path"/> (relative paths are taken from the current directory)
    /// and written into every chart's HTML: the page then needs no network, at the cost of about 4.5 MB per chart.
    /// The file is read when a chart is rendered; a missing file gives a chart that says so.
    /// </summary>
    public static PlotlySource FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new PlotlySource(PlotlySourceKind.File, Path.GetFullPath(path.Trim()));
    }

    /// <summary>
    /// Reads a source as a person writes it (the form <see cref="ChartOptions.SourceVariable"/> takes): <c>cdn</c>
    /// (or nothing) for <see cref="Cdn"/>; an <c>http://</c>, <c>https://</c> or <c>//</c> address for a URL; a
    /// <c>file:</c> URL or any other text for a file path.
    /// </summary>
    public static PlotlySource Parse(string? text)
    {
        var value = text?.Trim() ?? "";
        if (value.Length == 0 || value.Equals("cdn", StringComparison.OrdinalIgnoreCase))
        {
            return Cdn;
        }

        if (value.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || value.StartsWith("//", StringComparison.Ordinal))
        {
            return FromUrl(value);
        }

        return value.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.IsFile
            ? FromFile(uri.LocalPath)
            : FromFile(value);
    }

    /// <summary>The location, prefixed with the kind: <c>url https://…</c> or <c>file /…/plotly.min.js</c>.</summary>
    public override string ToString() => $"{(Kind == PlotlySourceKind.Url ? "url" : "file")} {Location}";

    /// <summary>The file's content made safe to sit inside a script element, or null when it cannot be read (with why).</summary>
    internal InlinedScript? ReadInlinedScript(out string? problem)
    {
        problem = null;
        try
        {
            var file = new FileInfo(Location);
            if (!file.Exists)
            {
                problem = "the file does not exist";
                return null;
            }

            var stamp = $"{file.FullName}|{file.Length}|{file.LastWriteTimeUtc.Ticks}";
            return InlinedScripts.AddOrUpdate(
                file.FullName,
                _ => InlinedScript.Read(file, stamp),
                (_, cached) => cached.Stamp == stamp ? cached : InlinedScript.Read(file, stamp));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = e.Message;
            return null;
        }
    }
}
