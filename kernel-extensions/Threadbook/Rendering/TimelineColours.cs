namespace Threadbook.Rendering;

/// <summary>
/// The colours every Threadbook timeline uses (Okabe–Ito, readable by colour-blind readers): the trace timeline and the
/// explorer's schedule timeline speak the same visual language.
/// </summary>
internal static class TimelineColours
{
    /// <summary>A thread running (or taking a step).</summary>
    public const string Running = "#009E73";

    /// <summary>A thread waiting for an event, a join, a sleep.</summary>
    public const string Waiting = "#E69F00";

    /// <summary>A thread blocked on a lock (drawn hatched).</summary>
    public const string Blocked = "#D55E00";

    /// <summary>The dark stripe of the blocked hatch.</summary>
    public const string BlockedStripe = "#7F2704";

    /// <summary>Wake-up arrows.</summary>
    public const string Arrow = "#0072B2";

    /// <summary>User marks.</summary>
    public const string Mark = "#CC79A7";

    /// <summary>Deadlock markers.</summary>
    public const string Deadlock = "#B00000";
}
