using System.Globalization;
using System.Security.Cryptography;

namespace Streaming.Contracts.Webhooks;

/// <summary>
/// What a receiver does with <c>X-Signature</c> and <c>Idempotency-Key</c>: parse t and every v2
/// (several during a secret rotation), refuse a timestamp further than the tolerance from now (in
/// either direction: a replay or a badly skewed clock), recompute the MAC over
/// "t.idempotencyKey.body" from the raw body bytes and compare in constant time. A valid
/// signature proves the key is the sender's; de-duplicate on it afterwards.
/// </summary>
public sealed class WebhookSignatureVerifier
{
    // 9999-12-31: anything later cannot be a DateTimeOffset.
    private const long MaxUnixSeconds = 253_402_300_799;
    private const int MacHexLength = 64;

    private readonly byte[] _secret;
    private readonly TimeSpan _tolerance;
    private readonly TimeProvider _time;

    /// <param name="secret">The target's signing secret (Alerting:Webhooks:N:Secret, as UTF-8 bytes).</param>
    /// <param name="tolerance">Largest accepted |now - t|; 5 minutes is usual.</param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    public WebhookSignatureVerifier(byte[] secret, TimeSpan tolerance, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length == 0) throw new ArgumentException("The signing secret must not be empty.", nameof(secret));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(tolerance, TimeSpan.Zero);
        _secret = secret;
        _tolerance = tolerance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <param name="header">The X-Signature header; null or blank: <see cref="SignatureCheck.Missing"/>.</param>
    /// <param name="idempotencyKey">The Idempotency-Key header; null or empty: <see cref="SignatureCheck.Missing"/>.</param>
    /// <param name="body">The raw request body, before any decoding.</param>
    public SignatureCheck Verify(string? header, string? idempotencyKey, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrWhiteSpace(header) || string.IsNullOrEmpty(idempotencyKey)) return SignatureCheck.Missing;

        long? timestamp = null;
        var candidates = new List<byte[]>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) return SignatureCheck.Malformed;
            var (key, value) = (part[..eq], part[(eq + 1)..]);
            if (key == "t")
            {
                if (timestamp is not null
                    || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t)
                    || t > MaxUnixSeconds)
                    return SignatureCheck.Malformed;
                timestamp = t;
            }
            else if (key == WebhookSignature.Scheme)
            {
                if (value.Length != MacHexLength) return SignatureCheck.Malformed;
                try { candidates.Add(Convert.FromHexString(value)); }
                catch (FormatException) { return SignatureCheck.Malformed; }
            }
            // Other schemes (v1, which did not cover the key, or later ones) are ignored.
        }

        if (timestamp is null || candidates.Count == 0) return SignatureCheck.Malformed;
        var age = _time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(timestamp.Value);
        if (age.Duration() > _tolerance) return SignatureCheck.Stale;

        var expected = WebhookSignature.Mac(_secret, timestamp.Value, idempotencyKey, body);
        var valid = false;
        // Every candidate is compared, so the time taken does not tell which one matched.
        foreach (var candidate in candidates)
            valid |= CryptographicOperations.FixedTimeEquals(candidate, expected);
        return valid ? SignatureCheck.Valid : SignatureCheck.Mismatch;
    }
}
