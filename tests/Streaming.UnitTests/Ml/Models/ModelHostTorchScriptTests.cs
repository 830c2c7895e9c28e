using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Streaming.Inference;
using Streaming.Ml.Capture;

namespace Streaming.UnitTests.Ml.Models;

/// <summary>ModelHost loading Inference:TorchScript:Path: a file libtorch refuses stops the start, naming the key.</summary>
public sealed class ModelHostTorchScriptTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"not-a-model-{Guid.NewGuid():N}.pt");

    [Fact]
    public void Create_FileThatIsNotTorchScript_ThrowsNamingPathKeyAndFile()
    {
        File.WriteAllText(_path, "not a zip archive");
        var options = Options.Create(new InferenceOptions
        {
            TorchScript = new TorchScriptOptions { Path = _path, Outputs = [new LayerOptions { Name = "logits", Reduction = LayerReduction.Flatten }] },
        });

        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new InferenceMetrics(services.GetRequiredService<IMeterFactory>());

        var ex = Assert.Throws<InvalidOperationException>(() => new ModelHost(options, metrics));

        Assert.StartsWith("Inference:TorchScript:Path:", ex.Message);
        Assert.Contains(_path, ex.Message);
        Assert.Contains("is not a loadable TorchScript file", ex.Message);
    }

    public void Dispose() => File.Delete(_path);
}
