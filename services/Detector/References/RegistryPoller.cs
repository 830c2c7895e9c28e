using Microsoft.Extensions.Options;
using Streaming.Detection.WindowTest;

namespace Streaming.Detector.References;

/// <summary>Polls the registry's version counter every Detector:Registry:PollInterval and refreshes <see cref="RegistrySnapshot"/> when it moved; a Redis outage is logged once and retried at every poll.</summary>
public sealed partial class RegistryPoller(RegistrySnapshot snapshot, IOptions<DetectorOptions> options, TimeProvider time, ILogger<RegistryPoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Registry.PollInterval, time);
        var failing = false;
        try
        {
            do
            {
                try
                {
                    await snapshot.RefreshAsync(stoppingToken);
                    failing = false;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    if (!failing) LogPollFailed(ex.Message);
                    failing = true;
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the reference registry failed ({Reason}); the references last read are served until it answers again")]
    private partial void LogPollFailed(string reason);
}
