using Streaming.Contracts;

namespace Streaming.LocalStack.Kafka;

/// <summary>
/// Creates the pipeline's topics (<see cref="TopicCatalog"/>) on the mock cluster. The mock cluster
/// cannot create topics through AdminClient, so they are created up front with their partition
/// counts; a real cluster gets the same list from infra/kafka/create-topics.sh.
/// </summary>
public static class KafkaTopology
{
    public static void CreateAll(MockKafkaCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        foreach (var topic in TopicCatalog.All)
            cluster.CreateTopic(topic.Name, topic.Partitions);
    }
}
