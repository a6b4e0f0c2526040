using Threadbook.Processes.Wire;

namespace Threadbook.Processes.Dictionary;

/// <summary>A <see cref="SharedDictionary"/> key: a string or an integer (all integer types are one key space, as in Python).</summary>
internal readonly record struct DictionaryKey(string? Text, long Number)
{
    /// <summary>The key <paramref name="key"/> is.</summary>
    /// <exception cref="ArgumentException">Neither a string nor an integer.</exception>
    public static DictionaryKey From(object key) => key switch
    {
        string text => new DictionaryKey(text, 0),
        int or long or short or sbyte or byte or ushort or uint => new DictionaryKey(null, Convert.ToInt64(key, System.Globalization.CultureInfo.InvariantCulture)),
        ulong large when large <= long.MaxValue => new DictionaryKey(null, (long)large),
        null => throw new ArgumentNullException(nameof(key)),
        _ => throw new ArgumentException($"A shared dictionary's keys are strings or integers, not {key.GetType().Name}.", nameof(key)),
    };

    /// <summary>The key as a value: the string, or the integer as an <see cref="int"/> when it fits (else a <see cref="long"/>).</summary>
    public object Value => Text is not null ? Text : Number is >= int.MinValue and <= int.MaxValue ? (int)Number : Number;

    public void WriteTo(FrameWriter writer)
    {
        if (Text is not null)
        {
            writer.Byte(0).String(Text);
        }
        else
        {
            writer.Byte(1).Int64(Number);
        }
    }

    public static DictionaryKey ReadFrom(ref FrameReader reader) =>
        reader.Byte() == 0 ? new DictionaryKey(reader.String() ?? "", 0) : new DictionaryKey(null, reader.Int64());

    /// <inheritdoc />
    public override string ToString() => Text is null ? Number.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"\"{Text}\"";
}
