namespace Streaming.Contracts;

/// <summary>
/// Every topic of the pipeline with its partition count, dead-letter topics included: the one list
/// the local mock cluster (Streaming.LocalStack's KafkaTopology) creates, and that
/// infra/kafka/create-topics.sh must repeat for a real cluster (a unit test compares the two).
/// </summary>
/// <remarks>
/// Activations carry the most traffic (one event per classified input), so they get the most
/// partitions; the mock cluster also keeps only ~5 MiB per partition, so a topic needs enough of them
/// to hold a run. Dead letters are rare and read in order, so one partition each.
/// </remarks>
public static class TopicCatalog
{
    public static IReadOnlyList<TopicSpec> All { get; } =
    [
        new(Topics.Activations, 12),
        new(Topics.Windows, 4),
        new(Topics.Detections, 4),
        new(Topics.Alerts, 4),
        new(Topics.DeadLetterOf(Topics.Activations), 1),
        new(Topics.DeadLetterOf(Topics.Windows), 1),
        new(Topics.DeadLetterOf(Topics.Alerts), 1),
    ];
}
