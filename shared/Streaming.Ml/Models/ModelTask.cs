namespace Streaming.Ml.Models;

/// <summary>What a model's output is, which decides its training loss and its test metric.</summary>
public enum ModelTask
{
    /// <summary>Class scores [N,10]: cross-entropy, test accuracy.</summary>
    Classification,

    /// <summary>A reconstruction of the input: mean squared error, test reconstruction MSE.</summary>
    Reconstruction,
}
