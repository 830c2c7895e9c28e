using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Streaming.Contracts;
using Streaming.IntegrationTests.Infrastructure;
using Streaming.WindowStore;

namespace Streaming.IntegrationTests.WindowStore;

/// <summary>Builds window writers on a unique key prefix, readers, (so tests never see each other's keys) and test events.</summary>
internal sealed class WindowTestContext
{
    public const string Model = "mnist-cnn";
    public const string ModelVersion = "v3";
    public static readonly DateTimeOffset Start = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly RedisFixture _redis;

    public WindowTestContext(RedisFixture redis, Action<WindowOptions>? configure = null)
    {
        _redis = redis;
        // MinSize 2 so that the small windows the tests use are valid; tests that need more set it.
        // The model-wide window is off here, so tests of the stream windows see only theirs;
        // RedisWindowWriterModelWideTests turn it on.
        Options = new WindowOptions { KeyPrefix = "t" + Guid.NewGuid().ToString("N")[..12], MinSize = 2 };
        Options.ModelWide.Enabled = false;
        configure?.Invoke(Options);
    }

    public WindowOptions Options { get; }

    public FakeTimeProvider Time { get; } = new(Start);

    /// <summary>A new writer instance on the same keys, as after a process restart.</summary>
    public RedisWindowWriter CreateWriter() =>
        new(_redis.Connection, Microsoft.Extensions.Options.Options.Create(Options), Time);

    /// <summary>A reader, as the Detector has: it needs no window settings.</summary>
    public RedisWindowReader CreateReader() => new(_redis.Connection);

    public static ActivationEvent Event(string stream, int index, string? eventId = null) => new()
    {
        Header = new EventHeader
        {
            SchemaVersion = SchemaVersions.Current,
            EventId = eventId ?? $"{stream}-e{index}",
            Model = Model,
            ModelVersion = ModelVersion,
            StreamId = stream,
            Timestamp = Timestamp.FromDateTimeOffset(Start.AddSeconds(index)),
        },
        Layers = { new LayerActivation { Layer = "conv2", Values = { index, index + 0.5f, -index } } },
        PredictedClass = index % 10,
        Confidence = 0.9f,
        Attributes = { ["label"] = (index % 10).ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    /// <summary><paramref name="streams"/> streams "s0", "s1"… taking turns, <paramref name="perStream"/> events each: one input per stream at a time.</summary>
    public static List<ActivationEvent> Interleaved(int streams, int perStream) =>
        [.. Enumerable.Range(0, perStream).SelectMany(i => Enumerable.Range(0, streams).Select(s => Event($"s{s}", i)))];

    public static IEnumerable<ActivationEvent> Events(string stream, int from, int count) =>
        Enumerable.Range(from, count).Select(i => Event(stream, i));

    public static async Task<List<AppendResult>> AppendAllAsync(RedisWindowWriter store, IEnumerable<ActivationEvent> events)
    {
        var results = new List<AppendResult>();
        foreach (var ev in events)
            results.Add(await store.AppendAsync(ev, CancellationToken.None));
        return results;
    }

    /// <summary>The event ids of a window, read as the Detector reads them.</summary>
    public static async Task<List<string>> EventIdsOfAsync(RedisFixture redis, WindowReady window)
    {
        var contents = await new RedisWindowReader(redis.Connection).ReadWindowAsync(window.WindowKey, CancellationToken.None);
        Assert.True(contents.Found, $"window {window.WindowId} not found under {window.WindowKey}");
        Assert.Empty(contents.MissingEventIds);
        return contents.Events.Select(e => e.Header.EventId).ToList();
    }

    /// <summary>Turns the model-wide window on with its own shape (MinSize 2 unless given, like the stream windows here).</summary>
    public static void ModelWide(WindowOptions options, int size, int slide, int minSize = 2, TimeSpan? maxWait = null)
    {
        options.ModelWide.Enabled = true;
        options.ModelWide.Size = size;
        options.ModelWide.Slide = slide;
        options.ModelWide.MinSize = minSize;
        options.ModelWide.MaxWait = maxWait ?? options.ModelWide.MaxWait;
    }

    public static List<string> Ids(string stream, int from, int count) =>
        Enumerable.Range(from, count).Select(i => $"{stream}-e{i}").ToList();
}
