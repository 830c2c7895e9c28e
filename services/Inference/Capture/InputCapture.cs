using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Streaming.Inference.Api;
using Streaming.Ml.Images;
using Streaming.Redis;

namespace Streaming.Inference.Capture;

/// <summary>
/// Keeps each predicted image in Redis by event id (see <see cref="InputCaptureOptions"/>): one hash
/// per event with its PNG, prediction and confidence, expiring after the TTL, and an index that
/// evicts the oldest beyond MaxImages, all in one script per request. Capture is best effort: a
/// Redis failure is logged and counted, never fails the prediction.
/// </summary>
public sealed partial class InputCapture(
    IOptions<InferenceOptions> options,
    IServiceProvider services,
    InferenceMetrics metrics,
    TimeProvider timeProvider,
    ILogger<InputCapture> logger)
{
    // KEYS: index, then one hash per event. ARGV: ttl s, now ms, max images, key prefix, then per event: png, predicted, confidence, stream, id.
    private const string Script = """
        local ttl, now, max, prefix = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
        for i = 2, #KEYS do
            local a = 5 + (i - 2) * 5
            redis.call('HSET', KEYS[i], 'png', ARGV[a], 'predicted', ARGV[a + 1], 'confidence', ARGV[a + 2], 'stream', ARGV[a + 3])
            redis.call('EXPIRE', KEYS[i], ttl)
            redis.call('ZADD', KEYS[1], now, ARGV[a + 4])
        end
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl * 1000)
        local extra = redis.call('ZCARD', KEYS[1]) - max
        if extra > 0 then
            local evicted = redis.call('ZPOPMIN', KEYS[1], extra)
            for i = 1, #evicted, 2 do redis.call('DEL', prefix .. evicted[i]) end
        end
        return 1
        """;

    private readonly InputCaptureOptions _options = options.Value.CaptureInputs;

    public bool Enabled => _options.Enabled;

    /// <param name="pixels">The request's images, row-major, <see cref="PredictRequestValidator.PixelsPerImage"/> each, in prediction order.</param>
    public async Task CaptureAsync(string streamId, IReadOnlyList<Prediction> predictions, ReadOnlyMemory<float> pixels)
    {
        if (!_options.Enabled || predictions.Count == 0) return;
        var keys = new RedisKey[predictions.Count + 1];
        var values = new List<RedisValue>(4 + predictions.Count * 5)
        {
            (long)_options.Ttl.TotalSeconds, timeProvider.GetUtcNow().ToUnixTimeMilliseconds(), _options.MaxImages, _options.KeyPrefix,
        };
        keys[0] = CapturedInputs.Index(_options.KeyPrefix);
        for (var i = 0; i < predictions.Count; i++)
        {
            var prediction = predictions[i];
            keys[i + 1] = CapturedInputs.Key(_options.KeyPrefix, prediction.EventId);
            values.Add(GrayscalePng.Encode(pixels.Span.Slice(i * PredictRequestValidator.PixelsPerImage, PredictRequestValidator.PixelsPerImage), PredictRequestValidator.ImageSide, PredictRequestValidator.ImageSide));
            values.Add(prediction.PredictedClass);
            values.Add(prediction.Confidence.ToString("R", CultureInfo.InvariantCulture));
            values.Add(streamId);
            values.Add(prediction.EventId);
        }

        try
        {
            var redis = services.GetRequiredService<IConnectionMultiplexer>();
            await redis.GetDatabase().ScriptEvaluateAsync(Script, keys, [.. values]).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            metrics.RecordCaptureFailures(predictions.Count);
            CaptureFailed(logger, predictions.Count, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} input image(s) were not captured (the predictions were answered): {Reason}")]
    private static partial void CaptureFailed(ILogger logger, int count, string reason);
}
