namespace Threadbook.Charts;

/// <summary>
/// Process-wide chart settings. At start (and on <see cref="Reset"/>) the plotly.js source comes from the
/// environment variable <see cref="SourceVariable"/> when it is set, otherwise from the CDN.
/// </summary>
public static class ChartOptions
{
    /// <summary>
    /// The environment variable that points every chart at another plotly.js: a URL, or a file path whose
    /// content is then written into each chart (see <see cref="PlotlySource.Parse"/>).
    /// </summary>
    public const string SourceVariable = "THREADBOOK_PLOTLY_SRC";

    private static volatile PlotlySource s_plotlySource = FromEnvironment();

    /// <summary>Where charts rendered without an explicit source get plotly.js.</summary>
    public static PlotlySource PlotlySource
    {
        get => s_plotlySource;
        set => s_plotlySource = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Goes back to the start-up choice: <see cref="SourceVariable"/> as it is set now, else the CDN.</summary>
    public static void Reset() => s_plotlySource = FromEnvironment();

    /// <summary>
    /// The source <see cref="SourceVariable"/> names, or the CDN when it is unset. A value that is not a usable URL
    /// falls back to the CDN rather than failing every chart at start.
    /// </summary>
    public static PlotlySource FromEnvironment()
    {
        try
        {
            return PlotlySource.Parse(Environment.GetEnvironmentVariable(SourceVariable));
        }
        catch (ArgumentException)
        {
            return PlotlySource.Cdn;
        }
    }
}
