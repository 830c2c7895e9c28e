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
    private readonly TimeSpan _serviceStart;
    private readonly TimeSpan _redisStart;

    private CpuPerEvent(Process service, IServer redis, TimeSpan serviceStart, TimeSpan redisStart)
    {
        _service = service;
        _redis = redis;
        _serviceStart = serviceStart;
        _redisStart = redisStart;
    }

    /// <summary>Starts counting from now. <paramref name="redis"/> needs an admin connection (INFO).</summary>
    public static async Task<CpuPerEvent> StartAsync(int serviceProcessId, IServer redis)
    {
        var service = Process.GetProcessById(serviceProcessId);
        return new CpuPerEvent(service, redis, ServiceCpu(service), await RedisCpuAsync(redis));
    }

    /// <summary>Microseconds of CPU per event since <see cref="StartAsync"/>: (Windowing process, redis-server).</summary>
    public async Task<(double Service, double Redis)> PerEventAsync(int events)
    {
        var service = ServiceCpu(_service) - _serviceStart;
        var redis = await RedisCpuAsync(_redis) - _redisStart;
        return (service.TotalMicroseconds / events, redis.TotalMicroseconds / events);
    }

    private static TimeSpan ServiceCpu(Process service)
    {
        service.Refresh();
        return service.TotalProcessorTime;
    }

    /// <summary>redis-server's own CPU (main thread and its helpers, user and system) from INFO cpu.</summary>
    private static async Task<TimeSpan> RedisCpuAsync(IServer redis)
    {
        var fields = (await redis.InfoAsync("cpu")).SelectMany(g => g).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        double Seconds(string key) => double.Parse(fields[key], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(Seconds("used_cpu_user") + Seconds("used_cpu_sys"));
    }
}
