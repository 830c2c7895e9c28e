namespace Streaming.Contracts;

/// <summary>A topic of the pipeline and the number of partitions it is created with.</summary>
public sealed record TopicSpec(string Name, int Partitions);
