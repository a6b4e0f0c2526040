using System.Net;

namespace Threadbook.Servers;

/// <summary>A handler that threw while serving one client; the server logs it, closes that client and keeps serving.</summary>
/// <param name="Client">The client being served.</param>
/// <param name="Exception">What the handler threw.</param>
/// <param name="ServedBy">The thread name (threading server) or process id (forking server) that ran the handler.</param>
public sealed record HandlerFailure(IPEndPoint Client, Exception Exception, string ServedBy);
