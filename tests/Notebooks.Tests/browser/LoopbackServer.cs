using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Notebooks.Tests;

/// <summary>A small HTTP server on 127.0.0.1 (a free port) serving fixed files, counting requests per path.</summary>
public sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly ConcurrentDictionary<string, (string ContentType, byte[] Body)> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private readonly Task _serving;
    private int _disposed;

    public LoopbackServer()
    {
        (_listener, Port) = Listen();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public void Add(string path, string contentType, byte[] body) => _files[path] = (contentType, body);

    public int RequestsFor(string path) => _requests.GetValueOrDefault(path);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(10));
    }

    private static (HttpListener Listener, int Port) Listen()
    {
        for (var attempt = 1; ; attempt++)
        {
            // A port the system just handed out is free unless another process takes it first: then try again.
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var path = context.Request.Url?.AbsolutePath ?? "/";
            _requests.AddOrUpdate(path, 1, (_, n) => n + 1);
            using var response = context.Response;
            try
            {
                if (_files.TryGetValue(path, out var file))
                {
                    response.ContentType = file.ContentType;
                    response.Headers["Cache-Control"] = "no-store";
                    response.ContentLength64 = file.Body.Length;
                    await response.OutputStream.WriteAsync(file.Body);
                }
                else
                {
                    response.StatusCode = 404;
                }
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The browser went away mid-response: nothing to serve.
            }
        }
    }
}
