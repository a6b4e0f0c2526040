using System.Security.Cryptography;

namespace Threadbook.Processes;

/// <summary>Fresh unguessable tokens (32 lower-case hex digits): connection tokens and shared-memory file names.</summary>
internal static class RandomToken
{
    /// <summary>A new token.</summary>
    public static string New() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
}
