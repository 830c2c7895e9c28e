using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Streaming.Inference;
using Streaming.Inference.Api;
using Streaming.Inference.Capture;
using Streaming.IntegrationTests.Infrastructure;
using Streaming.Redis;

namespace Streaming.IntegrationTests.Inference;

/// <summary>Inference:CaptureInputs on a real redis-server: what is kept, for how long, and how many at most.</summary>
[Collection(RedisFixtureCollection.Name)]
public sealed class InputCaptureTests(RedisFixture redis)
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task CaptureAsync_MoreImagesThanMaxImages_KeepsTheNewestWithPngPredictionAndExpiry()
    {
        var prefix = Prefix();
        var clock = new FakeTimeProvider(T0);
        var capture = NewCapture(new InputCaptureOptions { Enabled = true, MaxImages = 2, Ttl = TimeSpan.FromHours(1), KeyPrefix = prefix }, clock);

        await capture.CaptureAsync("s", [new Prediction("e1", 3, 0.9f)], Image(0.5f));
        clock.Advance(TimeSpan.FromSeconds(1));
        await capture.CaptureAsync("s", [new Prediction("e2", 4, 0.8f), new Prediction("e3", 5, 0.25f)], Image(0.1f).ToArray().Concat(Image(1f).ToArray()).ToArray());

        var database = redis.Connection.GetDatabase();
        Assert.False(await database.KeyExistsAsync(CapturedInputs.Key(prefix, "e1")));
        Assert.Equal(["e2", "e3"], (await database.SortedSetRangeByRankAsync(CapturedInputs.Index(prefix))).Select(v => v.ToString()));
        var e3 = (await database.HashGetAllAsync(CapturedInputs.Key(prefix, "e3"))).ToDictionary(f => f.Name.ToString(), f => f.Value);
        Assert.Equal("5", e3[CapturedInputs.PredictedField].ToString());
        Assert.Equal(0.25, double.Parse(e3[CapturedInputs.ConfidenceField].ToString(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("s", e3[CapturedInputs.StreamField].ToString());
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], ((byte[])e3[CapturedInputs.ImageField]!)[..4]);
        var ttl = await database.KeyTimeToLiveAsync(CapturedInputs.Key(prefix, "e3"));
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task CaptureAsync_Disabled_KeepsNothing()
    {
        var prefix = Prefix();
        var capture = NewCapture(new InputCaptureOptions { Enabled = false, KeyPrefix = prefix }, new FakeTimeProvider(T0));

        await capture.CaptureAsync("s", [new Prediction("e1", 3, 0.9f)], Image(0.5f));

        Assert.False(await redis.Connection.GetDatabase().KeyExistsAsync(CapturedInputs.Key(prefix, "e1")));
        Assert.False(await redis.Connection.GetDatabase().KeyExistsAsync(CapturedInputs.Index(prefix)));
    }

    [Fact]
    public async Task CaptureAsync_RedisUnreachable_DoesNotThrow()
    {
        var services = new ServiceCollection()
            .AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect("127.0.0.1:1,abortConnect=false,connectTimeout=200,asyncTimeout=500"))
            .AddMetrics()
            .BuildServiceProvider();
        var capture = new InputCapture(
            Options.Create(new InferenceOptions { CaptureInputs = new InputCaptureOptions { Enabled = true, KeyPrefix = Prefix() } }),
            services, new InferenceMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), new FakeTimeProvider(T0), NullLogger<InputCapture>.Instance);

        await capture.CaptureAsync("s", [new Prediction("e1", 3, 0.9f)], Image(0.5f));
    }

    private InputCapture NewCapture(InputCaptureOptions options, TimeProvider clock)
    {
        var services = new ServiceCollection().AddSingleton(redis.Connection).AddMetrics().BuildServiceProvider();
        return new InputCapture(
            Options.Create(new InferenceOptions { CaptureInputs = options }),
            services, new InferenceMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), clock, NullLogger<InputCapture>.Instance);
    }

    private static ReadOnlyMemory<float> Image(float value) => Enumerable.Repeat(value, PredictRequestValidator.PixelsPerImage).ToArray();

    private static string Prefix() => "capture-test-" + Guid.NewGuid().ToString("N")[..8] + ":";
}
