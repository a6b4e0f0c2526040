using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Threadbook.Servers;

/// <summary>
/// Hands an open socket to another process over a Unix domain socket, the way a forked child inherits its client:
/// the descriptor travels as an SCM_RIGHTS control message (Linux), with a small payload beside it. .NET cannot
/// fork, and <c>Socket.DuplicateAndClose</c> exists only on Windows, so this is done with <c>sendmsg</c>/<c>recvmsg</c>.
/// </summary>
internal static unsafe class SocketHandoff
{
    private const int SolSocket = 1;   // SOL_SOCKET on Linux
    private const int ScmRights = 1;   // SCM_RIGHTS on Linux
    private const int MaxPayload = 4096;
    private const int ReceiveCloseOnExec = 0x40000000; // MSG_CMSG_CLOEXEC: a process the receiver starts must not inherit the client

    /// <summary>True where descriptors can be passed (Linux).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>Sends <paramref name="socket"/>'s descriptor and <paramref name="payload"/> over the connected Unix socket <paramref name="channel"/>.</summary>
    public static void Send(Socket channel, Socket socket, ReadOnlySpan<byte> payload)
    {
        if (payload.Length is 0 or > MaxPayload)
        {
            throw new ArgumentOutOfRangeException(nameof(payload), payload.Length, $"The payload must be 1 to {MaxPayload} bytes.");
        }

        var descriptor = (int)socket.SafeHandle.DangerousGetHandle();
        var control = stackalloc byte[ControlLength];
        new Span<byte>(control, ControlLength).Clear();
        var header = (CmsgHeader*)control;
        header->Length = (nuint)(sizeof(CmsgHeader) + sizeof(int));
        header->Level = SolSocket;
        header->Type = ScmRights;
        *(int*)(control + sizeof(CmsgHeader)) = descriptor;

        fixed (byte* data = payload)
        {
            var vector = new IoVector { Base = data, Length = (nuint)payload.Length };
            var message = new MessageHeader { Vectors = &vector, VectorCount = 1, Control = control, ControlLength = (nuint)ControlLength };
            var sent = sendmsg((int)channel.SafeHandle.DangerousGetHandle(), &message, 0);
            if (sent < 0)
            {
                throw new SocketException(Marshal.GetLastPInvokeError());
            }
        }
    }

    /// <summary>Receives a descriptor sent by <see cref="Send"/> as a <see cref="Socket"/>, with its payload; null when the channel closed.</summary>
    public static (Socket Socket, byte[] Payload)? Receive(Socket channel)
    {
        var buffer = new byte[MaxPayload];
        var control = stackalloc byte[ControlLength];
        new Span<byte>(control, ControlLength).Clear();
        fixed (byte* data = buffer)
        {
            var vector = new IoVector { Base = data, Length = (nuint)buffer.Length };
            var message = new MessageHeader { Vectors = &vector, VectorCount = 1, Control = control, ControlLength = (nuint)ControlLength };
            var received = recvmsg((int)channel.SafeHandle.DangerousGetHandle(), &message, ReceiveCloseOnExec);
            if (received < 0)
            {
                throw new SocketException(Marshal.GetLastPInvokeError());
            }

            if (received == 0)
            {
                return null;
            }

            var header = (CmsgHeader*)control;
            if (message.ControlLength < (nuint)sizeof(CmsgHeader) || header->Level != SolSocket || header->Type != ScmRights)
            {
                throw new InvalidDataException("The message carried no socket.");
            }

            var descriptor = *(int*)(control + sizeof(CmsgHeader));
            var socket = new Socket(new SafeSocketHandle(descriptor, ownsHandle: true));
            return (socket, buffer[..(int)received]);
        }
    }

    private static int ControlLength => sizeof(CmsgHeader) + 8; // one int descriptor, padded to 8

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVector* Vectors;
        public nuint VectorCount;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CmsgHeader
    {
        public nuint Length;
        public int Level;
        public int Type;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern nint sendmsg(int socket, MessageHeader* message, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern nint recvmsg(int socket, MessageHeader* message, int flags);
}
