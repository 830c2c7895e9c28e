namespace Streaming.Ml.Capture;

/// <summary>How one layer's activation for one input becomes a fixed-length vector.</summary>
public enum LayerReduction
{
    /// <summary>Mean over the spatial dimensions of a [C,H,W] map (C values); a vector output is kept as is.</summary>
    GlobalAveragePool,

    /// <summary>All values, flattened.</summary>
    Flatten,

    /// <summary>Flattened, then multiplied by a fixed seeded Gaussian matrix scaled by 1/sqrt(ProjectionDim).</summary>
    RandomProjection,
}
