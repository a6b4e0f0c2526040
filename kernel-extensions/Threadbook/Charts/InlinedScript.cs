using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Threadbook.Charts;

/// <summary>A script file's text, escaped so that it can sit inside an HTML script element, with a key that names its content.</summary>
internal sealed record InlinedScript(string Text, string Key, string Stamp)
{
    public static InlinedScript Read(FileInfo file, string stamp)
    {
        var bytes = File.ReadAllBytes(file.FullName);
        // "</script" would end the script element early; in JavaScript strings and regular expressions "<\/" means "</".
        var text = Regex.Replace(Encoding.UTF8.GetString(bytes), "</(?=script)", "<\\/", RegexOptions.IgnoreCase);
        // Keyed by content, so two charts carrying the same file run it once per page.
        var key = "inline:" + Convert.ToHexString(SHA256.HashData(bytes))[..16];
        return new InlinedScript(text, key, stamp);
    }
}
