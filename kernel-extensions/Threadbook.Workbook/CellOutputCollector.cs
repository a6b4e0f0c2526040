using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace Threadbook.Workbook;

/// <summary>
/// Turns the kernel events one cell produced into the outputs a Jupyter front end would show:
/// streams merged, displays updated in place by their value id, errors kept with their message.
/// </summary>
internal sealed class CellOutputCollector
{
    private readonly List<InteractiveDocumentOutputElement> _outputs = [];
    private readonly Dictionary<string, DisplayElement> _displaysById = new(StringComparer.Ordinal);
    private readonly List<string> _errors = [];
    private readonly object _gate = new();

    public void Add(KernelEvent e)
    {
        lock (_gate)
        {
            switch (e)
            {
                case StandardOutputValueProduced o:
                    AppendStream("stdout", Text(o.FormattedValues));
                    break;
                case StandardErrorValueProduced o:
                    AppendStream("stderr", Text(o.FormattedValues));
                    break;
                case ReturnValueProduced r:
                    var returned = new ReturnValueElement();
                    Fill(returned.Data, r.FormattedValues);
                    _outputs.Add(returned);
                    break;
                case DisplayedValueUpdated u when u.ValueId is not null && _displaysById.TryGetValue(u.ValueId, out var existing):
                    existing.Data.Clear();
                    Fill(existing.Data, u.FormattedValues);
                    break;
                case ErrorProduced p:
                    AppendStream("stderr", p.Message + Environment.NewLine);
                    break;
                case DisplayEvent d:
                    var display = new DisplayElement(new Dictionary<string, object>());
                    Fill(display.Data, d.FormattedValues);
                    _outputs.Add(display);
                    if (d.ValueId is not null)
                    {
                        _displaysById[d.ValueId] = display;
                    }

                    break;
                case CommandFailed f:
                    var message = f.Message ?? f.Exception?.Message ?? "The command failed.";
                    _errors.Add(message);
                    _outputs.Add(new ErrorElement(
                        f.Exception?.GetType().Name ?? "Error",
                        message,
                        f.Exception?.StackTrace?.Split('\n', StringSplitOptions.TrimEntries) ?? []));
                    break;
            }
        }
    }

    public void AddError(string message)
    {
        lock (_gate)
        {
            _errors.Add(message);
            _outputs.Add(new ErrorElement("Error", message, []));
        }
    }

    public (IReadOnlyList<InteractiveDocumentOutputElement> Outputs, IReadOnlyList<string> Errors) Snapshot()
    {
        lock (_gate)
        {
            return (_outputs.ToArray(), _errors.ToArray());
        }
    }

    private void AppendStream(string name, string text)
    {
        if (_outputs.Count > 0 && _outputs[^1] is TextElement last && last.Name == name)
        {
            _outputs[^1] = new TextElement(last.Text + text, name);
        }
        else
        {
            _outputs.Add(new TextElement(text, name));
        }
    }

    private static string Text(IReadOnlyCollection<FormattedValue> values) =>
        values.FirstOrDefault(v => v.MimeType == "text/plain")?.Value ?? values.FirstOrDefault()?.Value ?? "";

    private static void Fill(IDictionary<string, object> data, IReadOnlyCollection<FormattedValue> values)
    {
        foreach (var value in values)
        {
            data[value.MimeType] = value.Value;
        }
    }
}
