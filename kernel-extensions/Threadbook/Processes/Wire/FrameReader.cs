using System.Buffers.Binary;
using System.Text;

namespace Threadbook.Processes.Wire;

/// <summary>Reads the fields of one frame written by <see cref="FrameWriter"/>, in the order they were written.</summary>
internal ref struct FrameReader
{
    private readonly ReadOnlySpan<byte> _payload;
    private int _position;

    /// <summary>Reads <paramref name="payload"/>: the frame without its length prefix, starting with the kind.</summary>
    public FrameReader(ReadOnlySpan<byte> payload)
    {
        _payload = payload;
        Kind = payload.Length > 0 ? (MessageKind)payload[0] : 0;
        _position = 1;
    }

    /// <summary>What the frame is.</summary>
    public MessageKind Kind { get; }

    public byte Byte() => _payload[_position++];

    public bool Bool() => Byte() != 0;

    public int Int32()
    {
        var value = BinaryPrimitives.ReadInt32LittleEndian(_payload[_position..]);
        _position += 4;
        return value;
    }

    public long Int64()
    {
        var value = BinaryPrimitives.ReadInt64LittleEndian(_payload[_position..]);
        _position += 8;
        return value;
    }

    public string? String()
    {
        var count = Int32();
        if (count < 0)
        {
            return null;
        }

        var value = Encoding.UTF8.GetString(_payload.Slice(_position, count));
        _position += count;
        return value;
    }

    public ReadOnlySpan<byte> Bytes()
    {
        var count = Int32();
        var value = _payload.Slice(_position, count);
        _position += count;
        return value;
    }
}
