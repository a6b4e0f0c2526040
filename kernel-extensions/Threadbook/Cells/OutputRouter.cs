using System.Text;
using Threadbook.Tracing;

namespace Threadbook.Cells;

/// <summary>
/// A console writer that passes output through while its cell is running and keeps it when it arrives
/// after the cell ended, so a host can show it later instead of losing it (or leaking it onto a process
/// stream that carries a protocol). The host decides what "running" means through <c>isLive</c>.
/// </summary>
public sealed class OutputRouter : TextWriter
{
    private readonly Func<Route> _route;
    private readonly Action<LateOutput> _keep;

    /// <summary>Where one write goes.</summary>
    public enum Route
    {
        /// <summary>To the inner writer (the cell is live, or the write belongs to no cell).</summary>
        PassThrough,

        /// <summary>To the keeper (the writer's cell has ended).</summary>
        Keep,
    }

    /// <summary>Routes writes to <paramref name="inner"/> or hands them to <paramref name="keep"/>, as <paramref name="route"/> decides per write.</summary>
    public OutputRouter(TextWriter inner, string stream, Func<Route> route, Action<LateOutput> keep)
    {
        Inner = inner ?? throw new ArgumentNullException(nameof(inner));
        StreamName = stream;
        _route = route ?? throw new ArgumentNullException(nameof(route));
        _keep = keep ?? throw new ArgumentNullException(nameof(keep));
    }

    /// <summary>The writer output passes through to.</summary>
    public TextWriter Inner { get; }

    /// <summary><c>stdout</c> or <c>stderr</c>.</summary>
    public string StreamName { get; }

    /// <inheritdoc />
    public override Encoding Encoding => Inner.Encoding;

    /// <inheritdoc />
    public override void Write(char value) => Write(value.ToString());

    /// <inheritdoc />
    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    /// <inheritdoc />
    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (_route() == Route.PassThrough)
        {
            Inner.Write(value);
            return;
        }

        var thread = Thread.CurrentThread;
        _keep(new LateOutput(value, StreamName, thread.Name, thread.ManagedThreadId, RunScope.Of(thread)?.Label ?? RunScope.Current?.Label, DateTimeOffset.Now));
    }

    /// <inheritdoc />
    public override void WriteLine(string? value) => Write(value + CoreNewLineStr);

    /// <inheritdoc />
    public override void WriteLine() => Write(CoreNewLineStr);

    /// <inheritdoc />
    public override void Flush() => Inner.Flush();

    private string CoreNewLineStr => new(CoreNewLine);
}
