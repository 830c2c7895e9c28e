using Streaming.LocalStack.Webhooks;
using Streaming.Control.Cli;
using Streaming.IntegrationTests.EndToEnd;
using Streaming.ServiceDefaults.Security;

namespace Streaming.IntegrationTests.Control;

/// <summary>
/// <c>control traffic</c> as a process, against a local HTTP receiver standing in for Inference: the key given
/// with --api-key, or else in INFERENCE_API_KEY, is sent with every request; without either, none is.
/// </summary>
[Collection(ProcessTestsCollection.Name)]
public sealed class TrafficApiKeyTests(TrainedModelFixture model)
{
    private const string Key = "traffic-test-key-0123456789";

    public static TheoryData<string, bool, string?> Cases => new()
    {
        { "option", false, Key },
        { "environment", true, Key },
        { "neither", false, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Traffic_KeyGivenOrNot_EveryPredictRequestCarriesExactlyThatKey(string source, bool fromEnvironment, string? expected)
    {
        await using var inference = await WebhookReceiver.StartAsync();
        var environment = fromEnvironment ? new Dictionary<string, string> { [ApiKeyOption.EnvironmentVariable] = Key } : [];
        string[] arguments =
        [
            "traffic", "--url", inference.Url.ToString(), "--count", "4", "--batch", "2", "--clean-share", "1",
            "--model", model.Paths.DefaultModelDirectory,
            .. source == "option" ? [ApiKeyOption.Name, Key] : Array.Empty<string>(),
        ];

        var run = await ControlProcess.RunAsync(environment, arguments);

        Assert.True(run.ExitCode == 0, run.ToString());
        var requests = inference.Received;
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal("/v1/predict", r.Path));
        Assert.All(requests, r => Assert.Equal(expected, r.Header(ApiKeyAuthenticationHandler.HeaderName)));
    }
}
