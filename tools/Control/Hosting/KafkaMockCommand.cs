using System.CommandLine;
using Spectre.Console;
using Streaming.LocalStack.Kafka;

namespace Streaming.Control.Hosting;

public static class KafkaMockCommand
{
    public static Command Create()
    {
        var file = new Option<string?>("--bootstrap-file") { Description = "Write the bootstrap servers to this file." };
        var brokers = new Option<int>("--brokers") { Description = "Mock brokers.", DefaultValueFactory = _ => 1 };
        var command = new Command("kafka-mock", "Host librdkafka's mock Kafka cluster with the pipeline's topics until stopped (Ctrl-C).") { file, brokers };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var cluster = MockKafkaCluster.Start(parse.GetValue(brokers));
            KafkaTopology.CreateAll(cluster);
            if (parse.GetValue(file) is { } path)
                await File.WriteAllTextAsync(path, cluster.BootstrapServers, cancellationToken);
            AnsiConsole.WriteLine(cluster.BootstrapServers);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        });
        return command;
    }
}
