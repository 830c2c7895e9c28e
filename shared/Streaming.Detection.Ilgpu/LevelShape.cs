using System.Runtime.InteropServices;

namespace Streaming.Detection.Ilgpu;

/// <summary>Sizes one scan level kernel launch needs, passed by value.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LevelShape
{
    /// <summary>Nodes over all layers.</summary>
    public int Nodes;

    public int Layers;

    /// <summary>1 for the two-sided tail count, 0 for the upper one.</summary>
    public int TwoSided;
}
