namespace Threadbook.Introspection;

/// <summary>What holds a <see cref="ValueTask"/>'s outcome; it decides what can be read without consuming it.</summary>
public enum ValueTaskBacking
{
    /// <summary>The runtime's layout was not recognised, so nothing that could consume the value task is read.</summary>
    Unknown,

    /// <summary>The result is stored in the value task itself: it completed when it was made.</summary>
    InlineResult,

    /// <summary>A <see cref="System.Threading.Tasks.Task"/> holds the outcome; it can be read like any task's.</summary>
    Task,

    /// <summary>A (usually pooled) <c>IValueTaskSource</c> holds it; reading the result consumes the value task.</summary>
    ValueTaskSource,
}
