using System.Runtime.InteropServices;

namespace Streaming.LocalStack.Kafka;

/// <summary>
/// P/Invoke into librdkafka's mock-cluster API. Confluent.Kafka picks one of several librdkafka
/// builds at run time (on Debian 12 the centos8 one, since libsasl2.so.3 is missing), and the mock
/// cluster lives in that module's memory, so these imports must resolve to the module actually
/// loaded, found in /proc/self/maps, never to another copy on disk.
/// </summary>
internal static partial class LibRdKafkaMock
{
    private const string Library = "streaming-librdkafka";

    static LibRdKafkaMock()
    {
        NativeLibrary.SetDllImportResolver(typeof(LibRdKafkaMock).Assembly, (name, _, _) =>
            name == Library ? NativeLibrary.Load(FindLoadedLibrdkafka()) : IntPtr.Zero);
    }

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_handle_mock_cluster(IntPtr rk);

    [LibraryImport(Library)]
    internal static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr mcluster);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_mock_topic_create(IntPtr mcluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(Library)]
    internal static partial void rd_kafka_mock_group_initial_rebalance_delay_ms(IntPtr mcluster, int delayMs);

    private static string FindLoadedLibrdkafka()
    {
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            var slash = line.IndexOf('/');
            if (slash < 0) continue;
            var path = line[slash..].Trim();
            if (Path.GetFileName(path).Contains("librdkafka", StringComparison.Ordinal))
                return path;
        }

        throw new InvalidOperationException(
            "librdkafka is not loaded in this process; create a Confluent.Kafka client before using the mock cluster.");
    }
}
