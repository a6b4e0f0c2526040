using System.Buffers.Binary;
using System.Text;

namespace Threadbook.Processes.Wire;

/// <summary>
/// Builds frames into one reusable buffer: <c>[int32 length][kind byte][fields]</c>, little-endian, strings and byte
/// blocks length-prefixed. Several frames may be written before one <see cref="FrameConnection.Send"/>, so a batch
/// costs one system call. Not thread-safe: one writer per sending thread (or under the sender's lock).
/// </summary>
internal sealed class FrameWriter
{
    private byte[] _buffer = new byte[512];
    private int _length;
    private int _frameStart = -1;

    /// <summary>The frames written so far.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>True when nothing is waiting to be sent.</summary>
    public bool IsEmpty => _length == 0;

    /// <summary>Starts a frame of <paramref name="kind"/>; end it with <see cref="End"/>.</summary>
    public FrameWriter Begin(MessageKind kind)
    {
        _frameStart = _length;
        Reserve(5);
        _length += 4; // the length, filled in by End
        _buffer[_length++] = (byte)kind;
        return this;
    }

    /// <summary>Finishes the frame begun last.</summary>
    public void End()
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_frameStart), _length - _frameStart - 4);
        _frameStart = -1;
    }

    /// <summary>Forgets everything written (after it was sent).</summary>
    public void Clear() => _length = 0;

    public FrameWriter Byte(byte value)
    {
        Reserve(1);
        _buffer[_length++] = value;
        return this;
    }

    public FrameWriter Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

    public FrameWriter Int32(int value)
    {
        Reserve(4);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_length), value);
        _length += 4;
        return this;
    }

    public FrameWriter Int64(long value)
    {
        Reserve(8);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_length), value);
        _length += 8;
        return this;
    }

    /// <summary>A string as its UTF-8 byte count and bytes; null is written as length -1.</summary>
    public FrameWriter String(string? value)
    {
        if (value is null)
        {
            return Int32(-1);
        }

        var count = Encoding.UTF8.GetByteCount(value);
        Int32(count);
        Reserve(count);
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
        return this;
    }

    /// <summary>A block of bytes (JSON, usually) as its length and the bytes.</summary>
    public FrameWriter Bytes(ReadOnlySpan<byte> value)
    {
        Int32(value.Length);
        Reserve(value.Length);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
        return this;
    }

    private void Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }
    }
}
