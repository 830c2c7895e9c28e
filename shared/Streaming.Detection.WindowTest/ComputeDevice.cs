using TorchSharp;

namespace Streaming.Detection.WindowTest;

public static class ComputeDevice
{
    /// <summary>Detector:Device: cpu, cuda, cuda:N, or auto (cuda when this process has it).</summary>
    public static torch.Device Resolve(string setting) => setting switch
    {
        "auto" => torch.cuda.is_available() ? torch.CUDA : torch.CPU,
        "cpu" => torch.CPU,
        _ when torch.cuda.is_available() => new torch.Device(setting),
        _ => throw new InvalidOperationException($"Detector:Device is '{setting}', but CUDA is not available in this process (TorchSharp-cpu build or no GPU)."),
    };
}
