using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace Streaming.Control.Benchmarks;

/// <summary>
/// CPU time that a timed run cost the Windowing process and redis-server, per event: on a shared machine
/// the events/s figure moves with other tenants by a third between runs, while the CPU each event costs
/// moves far less, so the two together tell a slower machine from a costlier build.
/// </summary>
internal sealed class CpuPerEvent
{
    private readonly Process _service;
    private readonly IServer _redis;
    private TimeSpan _serviceStart;
    private TimeSpan _redisStart;

    private CpuPerEvent(Process service, IServer redis)
    {
        _service = service;
        _redis = redis;
    }

    /// <summary>Starts counting from now.</summary>
    public static async Task<CpuPerEvent> StartAsync(int serviceProcessId, IServer redis)
    {
        var counter = new CpuPerEvent(Process.GetProcessById(serviceProcessId), redis);
        counter._serviceStart = counter.ServiceCpu();
        counter._redisStart = await counter.RedisCpuAsync();
        return counter;
    }

    /// <summary>Microseconds of CPU per event since <see cref="StartAsync"/>: (Windowing process, redis-server).</summary>
    public async Task<(double Service, double Redis)> PerEventAsync(int events)
    {
        var service = ServiceCpu() - _serviceStart;
        var redis = await RedisCpuAsync() - _redisStart;
        return (service.TotalMicroseconds / events, redis.TotalMicroseconds / events);
    }

    private TimeSpan ServiceCpu()
    {
        _service.Refresh();
        return _service.TotalProcessorTime;
    }

    /// <summary>redis-server's own CPU (main thread and its helpers, user and system) from INFO cpu.</summary>
    private async Task<TimeSpan> RedisCpuAsync()
    {
        var fields = (await _redis.InfoAsync("cpu")).SelectMany(g => g).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        double Seconds(string key) => double.Parse(fields[key], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(Seconds("used_cpu_user") + Seconds("used_cpu_sys"));
    }
}
