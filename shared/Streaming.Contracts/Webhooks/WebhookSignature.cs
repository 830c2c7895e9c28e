using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Streaming.Contracts.Webhooks;

/// <summary>
/// The <c>X-Signature: t=&lt;unix seconds&gt;,v2=&lt;hex HMAC-SHA256&gt;</c> header. As in Standard
/// Webhooks and Stripe, the MAC covers the timestamp, the delivery's Idempotency-Key and the exact
/// body bytes: "&lt;t&gt;.&lt;idempotency key&gt;.&lt;body&gt;". A receiver can thus refuse old
/// timestamps (replays) without the timestamp being forgeable, and a captured request cannot be
/// replayed under another Idempotency-Key to slip past its de-duplication. "v2" names this scheme;
/// "v1" (timestamp and body only) is no longer sent. See README.md, "Verifying a delivery".
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-Signature";

    /// <summary>The scheme name of the MAC in the header.</summary>
    public const string Scheme = "v2";

    public static string Create(ReadOnlySpan<byte> secret, long unixSeconds, string idempotencyKey, ReadOnlySpan<byte> body) =>
        string.Create(CultureInfo.InvariantCulture, $"t={unixSeconds},{Scheme}={Convert.ToHexStringLower(Mac(secret, unixSeconds, idempotencyKey, body))}");

    /// <summary>HMAC-SHA256 over "&lt;unixSeconds&gt;." + UTF-8 idempotency key + "." + body.</summary>
    public static byte[] Mac(ReadOnlySpan<byte> secret, long unixSeconds, string idempotencyKey, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
        hmac.AppendData(Encoding.ASCII.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + "."));
        hmac.AppendData(Encoding.UTF8.GetBytes(idempotencyKey));
        hmac.AppendData("."u8);
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
