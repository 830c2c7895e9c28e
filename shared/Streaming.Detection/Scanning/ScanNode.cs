namespace Streaming.Detection.Scanning;

/// <summary>One node (vector component) of one scanned layer: <see cref="Layer"/> is the layer's position in the scanner.</summary>
public readonly record struct ScanNode(int Layer, int Node);
