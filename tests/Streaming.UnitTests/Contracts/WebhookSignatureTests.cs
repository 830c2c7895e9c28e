using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Streaming.Contracts.Webhooks;

namespace Streaming.UnitTests.Contracts;

public sealed class WebhookSignatureTests
{
    private const string Key = "alert:mnist-cnn/tenant-a/w-17:ops";
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("a-long-enough-test-secret");
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"alertId":"a-1"}""");
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Create_KnownInput_MatchesIndependentHmacOfTimestampKeyAndBody()
    {
        var header = WebhookSignature.Create(Secret, 1_700_000_000, Key, Body);

        var signed = Encoding.UTF8.GetBytes("1700000000." + Key + "." + """{"alertId":"a-1"}""");
        Assert.Equal($"t=1700000000,v2={Convert.ToHexStringLower(HMACSHA256.HashData(Secret, signed))}", header);
    }

    [Fact]
    public void Verify_FreshSignature_Valid()
    {
        var header = WebhookSignature.Create(Secret, Now.ToUnixTimeSeconds(), Key, Body);

        Assert.Equal(SignatureCheck.Valid, Verifier().Verify(header, Key, Body));
    }

    [Fact]
    public void Verify_SignatureForAnotherIdempotencyKey_Mismatch()
    {
        // A captured request replayed under a new key would get past the receiver's de-duplication.
        var header = WebhookSignature.Create(Secret, Now.ToUnixTimeSeconds(), "alert:other:ops", Body);

        Assert.Equal(SignatureCheck.Mismatch, Verifier().Verify(header, Key, Body));
    }

    [Fact]
    public void Verify_BodyTampered_Mismatch()
    {
        var header = WebhookSignature.Create(Secret, Now.ToUnixTimeSeconds(), Key, Body);

        Assert.Equal(SignatureCheck.Mismatch, Verifier().Verify(header, Key, Encoding.UTF8.GetBytes("""{"alertId":"a-2"}""")));
    }

    [Fact]
    public void Verify_TimestampReplacedByAttacker_Mismatch()
    {
        // The timestamp is inside the MAC: refreshing it to beat the replay window breaks the signature.
        var old = Now.AddHours(-1).ToUnixTimeSeconds();
        var forged = WebhookSignature.Create(Secret, old, Key, Body).Replace($"t={old}", $"t={Now.ToUnixTimeSeconds()}");

        Assert.Equal(SignatureCheck.Mismatch, Verifier().Verify(forged, Key, Body));
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    [InlineData(-86_400)]
    public void Verify_TimestampOutsideTolerance_Stale(int offsetSeconds)
    {
        var header = WebhookSignature.Create(Secret, Now.AddSeconds(offsetSeconds).ToUnixTimeSeconds(), Key, Body);

        Assert.Equal(SignatureCheck.Stale, Verifier().Verify(header, Key, Body));
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    public void Verify_TimestampAtTheToleranceEdge_Valid(int offsetSeconds)
    {
        var header = WebhookSignature.Create(Secret, Now.AddSeconds(offsetSeconds).ToUnixTimeSeconds(), Key, Body);

        Assert.Equal(SignatureCheck.Valid, Verifier().Verify(header, Key, Body));
    }

    [Fact]
    public void Verify_WrongSecret_Mismatch()
    {
        var header = WebhookSignature.Create(Encoding.UTF8.GetBytes("another-secret-of-length"), Now.ToUnixTimeSeconds(), Key, Body);

        Assert.Equal(SignatureCheck.Mismatch, Verifier().Verify(header, Key, Body));
    }

    [Fact]
    public void Verify_SeveralV2OneValid_Valid()
    {
        var valid = WebhookSignature.Create(Secret, Now.ToUnixTimeSeconds(), Key, Body);
        var header = valid.Replace("v2=", "v2=" + new string('0', 64) + ",v2=");

        Assert.Equal(SignatureCheck.Valid, Verifier().Verify(header, Key, Body));
    }

    [Fact]
    public void Verify_OnlyTheOldV1Scheme_Malformed()
    {
        // v1 did not cover the Idempotency-Key; a receiver must not accept it as a signature.
        var v1 = Convert.ToHexStringLower(HMACSHA256.HashData(Secret, Encoding.ASCII.GetBytes($"{Now.ToUnixTimeSeconds()}.").Concat(Body).ToArray()));

        Assert.Equal(SignatureCheck.Malformed, Verifier().Verify($"t={Now.ToUnixTimeSeconds()},v1={v1}", Key, Body));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Verify_NoIdempotencyKey_Missing(string? key)
    {
        var header = WebhookSignature.Create(Secret, Now.ToUnixTimeSeconds(), Key, Body);

        Assert.Equal(SignatureCheck.Missing, Verifier().Verify(header, key, Body));
    }

    [Theory]
    [InlineData(null, SignatureCheck.Missing)]
    [InlineData("", SignatureCheck.Missing)]
    [InlineData("garbage", SignatureCheck.Malformed)]
    [InlineData("t=abc,v2=00", SignatureCheck.Malformed)]
    [InlineData("t=1741942800", SignatureCheck.Malformed)]
    [InlineData("t=1741942800,t=1741942801,v2=0000000000000000000000000000000000000000000000000000000000000000", SignatureCheck.Malformed)]
    [InlineData("t=99999999999999999,v2=0000000000000000000000000000000000000000000000000000000000000000", SignatureCheck.Malformed)]
    [InlineData("t=1741942800,v2=zz00000000000000000000000000000000000000000000000000000000000000", SignatureCheck.Malformed)]
    public void Verify_BadHeader_Refused(string? header, SignatureCheck expected) =>
        Assert.Equal(expected, Verifier().Verify(header, Key, Body));

    [Fact]
    public void Constructor_NoToleranceOrNoSecret_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WebhookSignatureVerifier(Secret, TimeSpan.Zero));
        Assert.Throws<ArgumentException>(() => new WebhookSignatureVerifier([], TimeSpan.FromMinutes(5)));
    }

    private static WebhookSignatureVerifier Verifier() => new(Secret, TimeSpan.FromMinutes(5), new FakeTimeProvider(Now));
}
