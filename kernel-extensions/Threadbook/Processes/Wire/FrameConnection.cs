using System.Buffers.Binary;
using System.Net.Sockets;

namespace Threadbook.Processes.Wire;

/// <summary>
/// A stream socket that carries frames (see <see cref="FrameWriter"/>). One thread at a time reads
/// (<see cref="ReadFrame"/>, <see cref="TryReadFrameNow"/>); any thread may send, one at a time (sends take a lock).
/// </summary>
internal sealed class FrameConnection : IDisposable
{
    private const int MaxFrameBytes = 256 * 1024 * 1024;
    private readonly object _sendGate = new();
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private int _disposed;

    public FrameConnection(Socket socket) => Socket = socket;

    public Socket Socket { get; }

    /// <summary>True once <see cref="Dispose"/> ran.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Connects to a <see cref="ParentEndpoint"/> address and says who is connecting.</summary>
    public static FrameConnection Connect(string address, ConnectionRole role, string token)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(ParentEndpoint.EndPointOf(address));
            var connection = new FrameConnection(socket);
            var hello = new FrameWriter();
            hello.Begin(MessageKind.Hello).Byte((byte)role).String(token).Int32(Environment.ProcessId).End();
            connection.Send(hello);
            return connection;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends everything <paramref name="writer"/> holds and clears it.</summary>
    public void Send(FrameWriter writer)
    {
        lock (_sendGate)
        {
            SendAll(writer.Written);
            writer.Clear();
        }
    }

    /// <summary>Sends <paramref name="bytes"/> (whole frames) under the send lock.</summary>
    public void SendAll(ReadOnlySpan<byte> bytes)
    {
        lock (_sendGate)
        {
            while (!bytes.IsEmpty)
            {
                var sent = Socket.Send(bytes, SocketFlags.None);
                bytes = bytes[sent..];
            }
        }
    }

    /// <summary>True when a whole frame is already buffered: the next <see cref="ReadFrame"/> will not block.</summary>
    public bool HasBufferedFrame =>
        _end - _start >= 4 && _end - _start - 4 >= BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_start));

    /// <summary>
    /// Waits for the next frame. False when the other side closed the connection (or it broke, or it was disposed):
    /// the connection is then finished. The frame stays valid until the next call.
    /// </summary>
    public bool ReadFrame(out ReadOnlySpan<byte> payload) => Read(wait: true, out payload, out _);

    /// <summary>
    /// Like <see cref="ReadFrame"/> without waiting: takes in the bytes that have arrived, then the next frame when it is
    /// whole. False when it is not (yet); <paramref name="ended"/> is then true when the connection is finished.
    /// </summary>
    public bool TryReadFrameNow(out ReadOnlySpan<byte> payload, out bool ended) => Read(wait: false, out payload, out ended);

    private bool Read(bool wait, out ReadOnlySpan<byte> payload, out bool ended)
    {
        ended = false;
        try
        {
            while (true)
            {
                switch (TakeBufferedFrame(out payload))
                {
                    case BufferedFrame.Taken:
                        return true;
                    case BufferedFrame.Broken:
                        ended = true;
                        return false;
                }

                if (!wait && Socket.Available == 0)
                {
                    // Readable with nothing to read is the end of the stream (checked twice: data may arrive in between).
                    ended = Socket.Poll(0, SelectMode.SelectRead) && Socket.Available == 0;
                    return false;
                }

                var received = Socket.Receive(_buffer.AsSpan(_end), SocketFlags.None);
                if (received == 0)
                {
                    ended = true;
                    return false;
                }

                _end += received;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            payload = default;
            ended = true;
            return false;
        }
    }

    /// <summary>Takes the next frame when the buffer holds all of it; otherwise makes room for it to arrive.</summary>
    private BufferedFrame TakeBufferedFrame(out ReadOnlySpan<byte> payload)
    {
        payload = default;
        var available = _end - _start;
        if (available >= 4)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_start));
            if (length <= 0 || length > MaxFrameBytes)
            {
                return BufferedFrame.Broken; // not our protocol: treat it as a broken connection
            }

            if (available - 4 >= length)
            {
                payload = _buffer.AsSpan(_start + 4, length);
                _start += 4 + length;
                return BufferedFrame.Taken;
            }

            MakeRoom(4 + length);
        }
        else
        {
            MakeRoom(4);
        }

        return BufferedFrame.Incomplete;
    }

    private void MakeRoom(int frameBytes)
    {
        if (_start > 0 && _start == _end)
        {
            _start = _end = 0;
        }

        if (_buffer.Length - _start >= frameBytes && _end < _buffer.Length)
        {
            return;
        }

        var available = _end - _start;
        var target = _buffer.Length >= frameBytes ? _buffer : new byte[Math.Max(frameBytes, _buffer.Length * 2)];
        Buffer.BlockCopy(_buffer, _start, target, 0, available);
        _buffer = target;
        _start = 0;
        _end = available;
    }

    /// <summary>Closes the socket: the other side reads the end of the stream; a blocked <see cref="ReadFrame"/> returns false.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            Socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // already broken: closing is all that is left
        }

        Socket.Dispose();
    }

    private enum BufferedFrame
    {
        Incomplete,
        Taken,
        Broken,
    }
}
