using System.Globalization;
using System.Security.Cryptography;

namespace Streaming.Alerting.Signing;

/// <summary>
/// What a receiver does with <c>X-Signature</c>: parse t and every v1 (several during a secret
/// rotation), refuse a timestamp further than the tolerance from now, recompute the MAC over
/// "t." + the raw body bytes and compare in constant time. De-duplicate on Idempotency-Key separately.
/// </summary>
public sealed class WebhookSignatureVerifier(byte[] secret, TimeSpan tolerance, TimeProvider? timeProvider = null)
{
    // 9999-12-31: anything later cannot be a DateTimeOffset.
    private const long MaxUnixSeconds = 253_402_300_799;

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public SignatureCheck Verify(string? header, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrWhiteSpace(header)) return SignatureCheck.Missing;

        long? timestamp = null;
        var candidates = new List<byte[]>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) return SignatureCheck.Malformed;
            var (key, value) = (part[..eq], part[(eq + 1)..]);
            if (key == "t")
            {
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t) || t > MaxUnixSeconds)
                    return SignatureCheck.Malformed;
                timestamp = t;
            }
            else if (key == "v1")
            {
                if (value.Length != 64) return SignatureCheck.Malformed;
                try { candidates.Add(Convert.FromHexString(value)); }
                catch (FormatException) { return SignatureCheck.Malformed; }
            }
            // Unknown schemes (v2, …) are ignored so the sender can add them without breaking receivers.
        }

        if (timestamp is null || candidates.Count == 0) return SignatureCheck.Malformed;
        var age = _time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(timestamp.Value);
        if (age.Duration() > tolerance) return SignatureCheck.Stale;

        var expected = WebhookSignature.Mac(secret, timestamp.Value, body);
        foreach (var candidate in candidates)
            if (CryptographicOperations.FixedTimeEquals(candidate, expected)) return SignatureCheck.Valid;
        return SignatureCheck.Mismatch;
    }
}
