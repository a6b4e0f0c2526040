namespace Threadbook.Charts;

/// <summary>How a chart's HTML gets plotly.js.</summary>
public enum PlotlySourceKind
{
    /// <summary>The browser loads plotly.js from a URL (the CDN, or a copy you serve).</summary>
    Url,

    /// <summary>plotly.js is read from a local file and written into the chart's HTML, so the page needs no network.</summary>
    File,
}
