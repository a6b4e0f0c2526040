namespace Threadbook.Processes.Pool;

/// <summary>What <see cref="TakeBackRule.Decide"/> says about one worker: ask for its waiting tasks now, look again later, or nothing.</summary>
/// <param name="RevokeNow">Ask it for the tasks waiting behind its long one.</param>
/// <param name="LookAgainInTicks">Its task is not long yet: look again in this many Stopwatch ticks (when it would be).</param>
internal readonly record struct TakeBackStep(bool RevokeNow, long? LookAgainInTicks)
{
    public static TakeBackStep Nothing => default;

    public static TakeBackStep Revoke => new(true, null);

    public static TakeBackStep LookAgainIn(long ticks) => new(false, ticks);
}
