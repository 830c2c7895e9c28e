using System.Net.Http.Json;
using System.Text.Json;

namespace Streaming.Control.RedTeam;

/// <summary>
/// Sends a strategy's requests to Inference's /v1/predict at a paced rate (images per second), one request
/// after another, and records every event id the answer gives with its ground truth. Every image carries it as
/// attributes too (attack, epsilon, redteam), so the Detector's attack_share sees it.
/// </summary>
public sealed class RedTeamSender(HttpClient http, Uri inference, string? apiKey, TimeProvider time)
{
    public const string ApiKeyHeader = "X-Api-Key";
    public const string StrategyAttribute = "redteam";
    private const int MaxErrorBody = 500;

    public async Task<IReadOnlyList<SentEvent>> SendAsync(
        StrategyPlan plan, RedTeamStrategy strategy, ImagePools pools, double imagesPerSecond, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(pools);
        if (!(imagesPerSecond > 0)) throw new ArgumentOutOfRangeException(nameof(imagesPerSecond), imagesPerSecond, "the rate must be positive.");

        var clean = Attributes("none", "0", strategy.Name);
        var attacked = Attributes(strategy.Attack ?? "none", strategy.EpsilonText, strategy.Name);
        var sent = new List<SentEvent>(plan.Images);
        var started = time.GetTimestamp();
        var images = 0;
        foreach (var request in plan.Requests)
        {
            var due = TimeSpan.FromSeconds(images / imagesPerSecond) - time.GetElapsedTime(started);
            if (due > TimeSpan.Zero) await Task.Delay(due, time, cancellationToken);

            var body = new
            {
                streamId = request.Stream,
                images = request.Images.Select(i => pools.Pixels(i, strategy.Attack)).ToArray(),
                imageAttributes = request.Images.Select(i => i.Adversarial ? attacked : clean).ToArray(),
            };
            var sentAt = time.GetUtcNow();
            var answer = await PostAsync(body, request.Images.Count, cancellationToken);
            for (var i = 0; i < request.Images.Count; i++)
                sent.Add(new SentEvent(answer[i].EventId, request.Stream, request.Images[i].Adversarial, sentAt));
            images += request.Images.Count;
            progress?.Report(images);
        }

        return sent;
    }

    private async Task<IReadOnlyList<PredictedEvent>> PostAsync(object body, int expected, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(inference, "/v1/predict")) { Content = JsonContent.Create(body) };
        if (apiKey is not null) message.Headers.Add(ApiKeyHeader, apiKey);
        using var response = await http.SendAsync(message, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"Inference at {inference} answered {(int)response.StatusCode}: {(text.Length > MaxErrorBody ? text[..MaxErrorBody] + " …" : text)}");
        }

        var answer = await response.Content.ReadFromJsonAsync<PredictAnswer>(JsonSerializerOptions.Web, cancellationToken);
        var predictions = answer?.Predictions;
        if (predictions is null || predictions.Count != expected || predictions.Any(p => string.IsNullOrEmpty(p.EventId)))
            throw new InvalidDataException($"Inference at {inference} answered {predictions?.Count ?? 0} event ids for {expected} images.");
        return predictions;
    }

    private static Dictionary<string, string> Attributes(string attack, string epsilon, string strategy) => new()
    {
        ["attack"] = attack,
        ["epsilon"] = epsilon,
        [StrategyAttribute] = strategy,
    };
}
