using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Threadbook.Hosting;
using Threadbook.Tracing;

namespace Threadbook.Servers;

/// <summary>
/// A <see cref="ForkingTcpServer"/>'s handle on one child process (which runs <see cref="ForkedChildProgram"/>): a spare,
/// started ahead of demand and waiting for a client, until the server hands it one; then the child serving that client,
/// until the process ends. Its members are safe to call from the server's threads.
/// </summary>
internal sealed class ForkedChild(string token)
{
    private readonly ManualResetEventSlim _woken = new(false);
    private Socket? _channel;
    private bool _released;
    private bool _ended;

    public string Token { get; } = token;

    public ManualResetEventSlim Ended { get; } = new(false);

    public ObservedProcess? Process { get; private set; }

    public int Pid { get; private set; }

    public IPEndPoint? Client { get; private set; }

    public TraceLane? Lane { get; private set; }

    public bool WasReady { get; private set; }

    public bool IsReleased
    {
        get
        {
            lock (this)
            {
                return _released;
            }
        }
    }

    public long? EndTimestamp { get; set; }

    public Exception? Error { get; set; }

    public void Attach(ObservedProcess process)
    {
        lock (this)
        {
            Process = process;
            Pid = process.Pid;
            if (_released)
            {
                process.Kill();
            }
        }
    }

    /// <summary>Wakes <see cref="WaitForChannel"/> (the process ended, or the server let this spare go).</summary>
    public void Wake() => _woken.Set();

    /// <summary>
    /// The child said its token on <paramref name="channel"/>: it waits for a client there when <paramref name="ready"/>,
    /// else a Failed frame follows. False when the server released this spare meanwhile.
    /// </summary>
    public bool Connect(Socket channel, bool ready)
    {
        lock (this)
        {
            if (_released || _ended || _channel is not null)
            {
                return false;
            }

            _channel = channel;
            WasReady = ready;
            _woken.Set();
            return true;
        }
    }

    /// <summary>The hand-off channel once the child connected; null when it ended, was released, or <paramref name="timeout"/> passed first.</summary>
    public Socket? WaitForChannel(TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            lock (this)
            {
                if (_channel is not null)
                {
                    return _channel;
                }

                if (_released || _ended || Process is { HasExited: true })
                {
                    return null;
                }
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                return null;
            }

            _woken.Wait(TimeSpan.FromMilliseconds(100)); // the process's Exited event can come before Attach: look again now and then
        }
    }

    /// <summary>Sends <paramref name="client"/> to this spare; false when it is gone.</summary>
    public bool TryServe(Socket client, IPEndPoint address, byte[] payload)
    {
        lock (this)
        {
            if (_released || _ended || _channel is null || !WasReady || Client is not null)
            {
                return false;
            }

            var handedAt = Stopwatch.GetTimestamp();
            try
            {
                SocketHandoff.Send(_channel, client, payload);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return false;
            }

            // The channel stays open: the child reports on it how serving went.
            Client = address;
            Lane = new TraceLane($"client {address.Port} (process {Pid})");
            TraceRecorder.RecordInLane(Lane, handedAt, TraceEventKind.ThreadStarted, Lane.Name);
            TraceRecorder.RecordInLane(Lane, handedAt, TraceEventKind.SpanBegan, $"serve {address}");
            return true;
        }
    }

    /// <summary>
    /// Lets a spare go (the server is closing). A waiting spare sees its hand-off channel close and exits without a
    /// client; one still starting finds the hand-off socket gone and exits, or is killed if it has not connected.
    /// </summary>
    public void ReleaseIfSpare()
    {
        lock (this)
        {
            if (Client is not null || _ended)
            {
                return;
            }

            _released = true;
            _channel?.Dispose();
            if (_channel is null)
            {
                Process?.Kill();
            }

            _woken.Set();
        }
    }

    /// <summary>Marks the process ended; the client it served, if any.</summary>
    public IPEndPoint? End()
    {
        lock (this)
        {
            _ended = true;
            _channel?.Dispose();
            return Client;
        }
    }
}
