namespace Streaming.Lab.Data;

/// <summary>Which of the two MNIST IDX file pairs to read.</summary>
public enum MnistSplit
{
    /// <summary>60,000 training images (train-*-ubyte).</summary>
    Train,

    /// <summary>10,000 test images (t10k-*-ubyte).</summary>
    Test,
}
