using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Streaming.Detector;

namespace Streaming.UnitTests.Detector;

/// <summary>The uncalibrated-windows metric's model and model_version labels stay bounded whatever the events name.</summary>
public sealed class ModelVersionLabelsTests
{
    [Fact]
    public void Of_MoreVersionsThanTheBound_LaterVersionsAreOtherAndEarlierKeepTheirName()
    {
        var labels = new ModelVersionLabels(maxModels: 10, maxVersionsPerModel: 3);

        var first = Enumerable.Range(1, 5).Select(v => labels.Of("cnn", $"v{v}")).ToList();

        Assert.Equal([("cnn", "v1"), ("cnn", "v2"), ("cnn", "v3"), ("cnn", "other"), ("cnn", "other")], first);
        // A version seen before the bound keeps its label later on; another model has a bound of its own.
        Assert.Equal(("cnn", "v2"), labels.Of("cnn", "v2"));
        Assert.Equal(("resnet", "v9"), labels.Of("resnet", "v9"));
    }

    [Fact]
    public void Of_MoreModelsThanTheBound_LaterModelsAreOtherWithVersionOther()
    {
        var labels = new ModelVersionLabels(maxModels: 2, maxVersionsPerModel: 3);
        labels.Of("a", "1");
        labels.Of("b", "1");

        Assert.Equal(("other", "other"), labels.Of("c", "1"));
        Assert.Equal(("a", "2"), labels.Of("a", "2"));
    }

    [Fact]
    public void RecordWithoutReference_ThousandsOfDistinctVersions_TheMetricHasABoundedNumberOfSeries()
    {
        using var provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = provider.GetRequiredService<IMeterFactory>();
        var metrics = new DetectorMetrics(factory);
        var series = new Dictionary<(string?, string?), long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name == "streaming.detector.windows.uncalibrated")
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? model = null, version = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "model") model = tag.Value as string;
                if (tag.Key == "model_version") version = tag.Value as string;
            }
            series[(model, version)] = series.GetValueOrDefault((model, version)) + value;
        });
        listener.Start();

        for (var v = 0; v < 5000; v++)
            metrics.RecordWithoutReference("cnn", $"build-{v}", "uncalibrated");

        Assert.Equal(ModelVersionLabels.DefaultMaxVersionsPerModel + 1, series.Count);
        Assert.Equal(5000 - ModelVersionLabels.DefaultMaxVersionsPerModel, series[("cnn", "other")]);
        Assert.Equal(1, series[("cnn", "build-0")]);
        Assert.Equal(5000, series.Values.Sum());
    }
}
