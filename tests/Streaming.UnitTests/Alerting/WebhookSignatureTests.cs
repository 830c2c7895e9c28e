using System.Text;
using Microsoft.Extensions.Time.Testing;
using Streaming.Alerting.Signing;

namespace Streaming.UnitTests.Alerting;

public sealed class WebhookSignatureTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("a-long-enough-test-secret");
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"alertId":"a-1"}""");
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Create_KnownInput_MatchesIndependentHmacOfTimestampDotBody()
    {
        var header = WebhookSignature.Create(Secret, 1_700_000_000, Body);

        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Secret, Encoding.UTF8.GetBytes("1700000000." + """{"alertId":"a-1"}""")));
        Assert.Equal($"t=1700000000,v1={expected}", header);
    }

    [Fact]
    public void Verify_FreshSignature_Valid()
    {
        var header = WebhookSignature.Create(Secret, Now.ToUnixTimeSeconds(), Body);

        Assert.Equal(SignatureCheck.Valid, Verifier().Verify(header, Body));
    }

    [Fact]
    public void Verify_BodyChanged_Mismatch()
    {
        var header = WebhookSignature.Create(Secret, Now.ToUnixTimeSeconds(), Body);

        Assert.Equal(SignatureCheck.Mismatch, Verifier().Verify(header, Encoding.UTF8.GetBytes("""{"alertId":"a-2"}""")));
    }

    [Fact]
    public void Verify_TimestampReplacedByAttacker_Mismatch()
    {
        // The timestamp is inside the MAC: refreshing it to beat the replay window breaks the signature.
        var header = WebhookSignature.Create(Secret, Now.AddHours(-1).ToUnixTimeSeconds(), Body);
        var forged = header.Replace($"t={Now.AddHours(-1).ToUnixTimeSeconds()}", $"t={Now.ToUnixTimeSeconds()}");

        Assert.Equal(SignatureCheck.Mismatch, Verifier().Verify(forged, Body));
    }

    [Fact]
    public void Verify_OldTimestamp_Stale()
    {
        var header = WebhookSignature.Create(Secret, Now.AddMinutes(-6).ToUnixTimeSeconds(), Body);

        Assert.Equal(SignatureCheck.Stale, Verifier().Verify(header, Body));
    }

    [Fact]
    public void Verify_WrongSecret_Mismatch()
    {
        var header = WebhookSignature.Create(Encoding.UTF8.GetBytes("another-secret-of-length"), Now.ToUnixTimeSeconds(), Body);

        Assert.Equal(SignatureCheck.Mismatch, Verifier().Verify(header, Body));
    }

    [Fact]
    public void Verify_SeveralV1OneValid_Valid()
    {
        var valid = WebhookSignature.Create(Secret, Now.ToUnixTimeSeconds(), Body);
        var header = valid.Replace("v1=", "v1=" + new string('0', 64) + ",v1=");

        Assert.Equal(SignatureCheck.Valid, Verifier().Verify(header, Body));
    }

    [Theory]
    [InlineData(null, SignatureCheck.Missing)]
    [InlineData("", SignatureCheck.Missing)]
    [InlineData("garbage", SignatureCheck.Malformed)]
    [InlineData("t=abc,v1=00", SignatureCheck.Malformed)]
    [InlineData("t=1741942800", SignatureCheck.Malformed)]
    [InlineData("t=99999999999999999,v1=0000000000000000000000000000000000000000000000000000000000000000", SignatureCheck.Malformed)]
    [InlineData("t=1741942800,v1=zz00000000000000000000000000000000000000000000000000000000000000", SignatureCheck.Malformed)]
    public void Verify_BadHeader_Refused(string? header, SignatureCheck expected) =>
        Assert.Equal(expected, Verifier().Verify(header, Body));

    private static WebhookSignatureVerifier Verifier() => new(Secret, TimeSpan.FromMinutes(5), new FakeTimeProvider(Now));
}
