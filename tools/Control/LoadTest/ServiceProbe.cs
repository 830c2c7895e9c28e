using System.Globalization;
using Streaming.LocalStack.Processes;

namespace Streaming.Control.LoadTest;

/// <summary>Samples each service's consumer lag and offset-reset skips (its Prometheus /metrics) and resident memory (/proc).</summary>
public sealed class ServiceProbe(HttpClient http, IReadOnlyList<ServiceProcess> services)
{
    private readonly Dictionary<string, long> _maxLag = [];
    private readonly Dictionary<string, long> _skipped = [];
    private readonly Dictionary<string, double> _maxRssMb = [];

    public IReadOnlyDictionary<string, long> MaxLag => _maxLag;

    /// <summary>Per service that reported any, the messages its consumers skipped after offset resets (never handled).</summary>
    public IReadOnlyDictionary<string, long> SkippedByReset => _skipped;

    public IReadOnlyDictionary<string, double> MaxRssMb => _maxRssMb;

    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        foreach (var service in services.Where(s => !s.HasExited))
        {
            _maxRssMb[service.Name] = Math.Max(_maxRssMb.GetValueOrDefault(service.Name), RssMb(service.ProcessId));
            try
            {
                var metrics = await http.GetStringAsync(new Uri(service.BaseAddress, "/metrics"), cancellationToken);
                var lag = ConsumerLag(metrics);
                if (lag is not null) _maxLag[service.Name] = Math.Max(_maxLag.GetValueOrDefault(service.Name), lag.Value);
                if (SkippedByResetOf(metrics) is > 0 and var skipped) _skipped[service.Name] = Math.Max(_skipped.GetValueOrDefault(service.Name), skipped);
            }
            catch (HttpRequestException)
            {
            }
        }
    }

    /// <summary>Sum of the streaming_consumer_lag gauge's series in Prometheus text format.</summary>
    public static long? ConsumerLag(string metrics) => Sum(metrics, "streaming_consumer_lag");

    /// <summary>Sum of the streaming.messages.skipped_by_reset counter's series (none before the first skip).</summary>
    public static long? SkippedByResetOf(string metrics) => Sum(metrics, "streaming_messages_skipped_by_reset_total");

    private static long? Sum(string metrics, string name)
    {
        long? total = null;
        foreach (var line in metrics.Split('\n'))
        {
            if (!line.StartsWith(name, StringComparison.Ordinal) || line.Length == name.Length || line[name.Length] is not ('{' or ' ')) continue;
            var value = line[(line.LastIndexOf(' ') + 1)..];
            if (double.TryParse(value, CultureInfo.InvariantCulture, out var sample))
                total = (total ?? 0) + (long)sample;
        }

        return total;
    }

    private static double RssMb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            var kb = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            return kb is null ? 0 : long.Parse(kb, CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
