using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Streaming.Console.Options;
using Streaming.Redis;

namespace Streaming.Console.Inputs;

/// <summary>Reads the input images Inference captured (Inference:CaptureInputs); an expired or never captured one is reported as unavailable.</summary>
public sealed class CapturedInputReader(IConnectionMultiplexer redis, IOptions<ConsoleOptions> options)
{
    private readonly string _prefix = options.Value.CaptureKeyPrefix;

    public async Task<IReadOnlyList<CapturedInput>> DescribeAsync(IReadOnlyList<string> eventIds)
    {
        var database = redis.GetDatabase();
        var lookups = eventIds.Select(id => database.HashGetAsync(
            CapturedInputs.Key(_prefix, id),
            [CapturedInputs.PredictedField, CapturedInputs.ConfidenceField, CapturedInputs.ImageField]));
        var values = await Task.WhenAll(lookups).ConfigureAwait(false);
        return [.. eventIds.Select((id, i) => new CapturedInput(
            id,
            !values[i][2].IsNullOrEmpty,
            int.TryParse(values[i][0].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var predicted) ? predicted : null,
            double.TryParse(values[i][1].ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var confidence) && double.IsFinite(confidence) ? confidence : null))];
    }

    /// <returns>The PNG, or null when it expired or was never captured.</returns>
    public async Task<byte[]?> ImageAsync(string eventId)
    {
        var value = await redis.GetDatabase().HashGetAsync(CapturedInputs.Key(_prefix, eventId), CapturedInputs.ImageField).ConfigureAwait(false);
        return value.IsNullOrEmpty ? null : (byte[])value!;
    }
}
