using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Streaming.Alerting.Signing;

/// <summary>
/// The <c>X-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256&gt;</c> header. The MAC covers
/// "&lt;t&gt;." followed by the exact body bytes, so a receiver can refuse old timestamps (replays)
/// without the timestamp being forgeable. See README.md, "Verifying a delivery".
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-Signature";

    public static string Create(ReadOnlySpan<byte> secret, long unixSeconds, ReadOnlySpan<byte> body) =>
        string.Create(CultureInfo.InvariantCulture, $"t={unixSeconds},v1={Convert.ToHexStringLower(Mac(secret, unixSeconds, body))}");

    /// <summary>HMAC-SHA256 over "&lt;unixSeconds&gt;." + body.</summary>
    public static byte[] Mac(ReadOnlySpan<byte> secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return HMACSHA256.HashData(secret, signed);
    }
}
