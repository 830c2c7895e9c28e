namespace Streaming.WindowBench;

/// <summary>One configuration of the bench: reference vectors per layer and windows per call.</summary>
public sealed record BenchCase(int ReferenceCount, int Batch);
