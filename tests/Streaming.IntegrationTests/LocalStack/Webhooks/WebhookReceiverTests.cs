using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Streaming.LocalStack.Webhooks;
using Streaming.Contracts.Webhooks;

namespace Streaming.IntegrationTests.LocalStack.Webhooks;

/// <summary>
/// The test receiver as a real receiver would verify deliveries, over real HTTP: only a request
/// whose X-Signature covers its own timestamp, Idempotency-Key and body, within the tolerance, passes.
/// </summary>
public sealed class WebhookReceiverTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("receiver-test-signing-secret");
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);
    private const string Key = "alert:mnist-cnn/tenant-a/1:ops";
    private const string Body = """{"schemaVersion":1,"alertId":"alert:mnist-cnn/tenant-a/1"}""";

    [Fact]
    public async Task Post_SignedForItsOwnKeyAndBody_Accepted()
    {
        await using var receiver = await StartAsync();
        using var client = new HttpClient();

        var status = await PostAsync(client, receiver, Key, Body, WebhookSignature.Create(Secret, Now.ToUnixTimeSeconds(), Key, Encoding.UTF8.GetBytes(Body)));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(SignatureCheck.Valid, Assert.Single(receiver.Received).Signature);
    }

    [Fact]
    public async Task Post_CapturedSignatureReplayedUnderAnotherIdempotencyKey_Refused()
    {
        await using var receiver = await StartAsync();
        using var client = new HttpClient();
        var captured = WebhookSignature.Create(Secret, Now.ToUnixTimeSeconds(), Key, Encoding.UTF8.GetBytes(Body));

        var status = await PostAsync(client, receiver, "alert:mnist-cnn/tenant-a/2:ops", Body, captured);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(SignatureCheck.Mismatch, Assert.Single(receiver.Received).Signature);
    }

    [Fact]
    public async Task Post_StaleTimestamp_Refused()
    {
        await using var receiver = await StartAsync();
        using var client = new HttpClient();
        var old = WebhookSignature.Create(Secret, Now.AddMinutes(-6).ToUnixTimeSeconds(), Key, Encoding.UTF8.GetBytes(Body));

        var status = await PostAsync(client, receiver, Key, Body, old);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(SignatureCheck.Stale, Assert.Single(receiver.Received).Signature);
    }

    [Fact]
    public async Task Post_TamperedBody_Refused()
    {
        await using var receiver = await StartAsync();
        using var client = new HttpClient();
        var signature = WebhookSignature.Create(Secret, Now.ToUnixTimeSeconds(), Key, Encoding.UTF8.GetBytes(Body));

        var status = await PostAsync(client, receiver, Key, Body.Replace("tenant-a/1\"", "tenant-b/1\"", StringComparison.Ordinal), signature);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(SignatureCheck.Mismatch, Assert.Single(receiver.Received).Signature);
    }

    [Fact]
    public async Task Post_NoIdempotencyKey_Refused()
    {
        await using var receiver = await StartAsync();
        using var client = new HttpClient();
        var signature = WebhookSignature.Create(Secret, Now.ToUnixTimeSeconds(), Key, Encoding.UTF8.GetBytes(Body));

        var status = await PostAsync(client, receiver, null, Body, signature);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(SignatureCheck.Missing, Assert.Single(receiver.Received).Signature);
    }

    private static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = await WebhookReceiver.StartAsync(new FakeTimeProvider(Now));
        receiver.RequireSignature(Secret, TimeSpan.FromMinutes(5));
        return receiver;
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient client, WebhookReceiver receiver, string? key, string body, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, receiver.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        request.Headers.Add(WebhookSignature.Header, signature);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
