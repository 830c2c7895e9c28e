using Streaming.Contracts;

namespace Streaming.LocalStack.Kafka;

/// <summary>
/// Topics of the pipeline with their partition counts. The mock cluster cannot create topics
/// through AdminClient and keeps only ~5 MiB per partition, so they are created up front with
/// enough partitions; a real cluster gets them from infra/kafka/create-topics.sh.
/// </summary>
public static class KafkaTopology
{
    public static IReadOnlyDictionary<string, int> Partitions { get; } = new Dictionary<string, int>
    {
        [Topics.Activations] = 12,
        [Topics.Windows] = 4,
        [Topics.Detections] = 4,
        [Topics.Alerts] = 4,
        [Topics.DeadLetterOf(Topics.Activations)] = 1,
        [Topics.DeadLetterOf(Topics.Windows)] = 1,
        [Topics.DeadLetterOf(Topics.Alerts)] = 1,
    };

    public static void CreateAll(MockKafkaCluster cluster)
    {
        foreach (var (topic, partitions) in Partitions)
            cluster.CreateTopic(topic, partitions);
    }
}
