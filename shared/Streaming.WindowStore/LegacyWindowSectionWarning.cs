using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Streaming.WindowStore;

/// <summary>Logs once at start when the window settings still use the old "Windows" section name.</summary>
internal sealed partial class LegacyWindowSectionWarning(IConfiguration configuration, ILogger<LegacyWindowSectionWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (WindowStoreSection.Select(configuration).IsLegacy)
        {
            LogLegacySection(WindowOptions.LegacySectionName, WindowOptions.SectionName);
        }
        else if (WindowStoreSection.LegacyIgnored(configuration))
        {
            LogLegacyIgnored(WindowOptions.LegacySectionName, WindowOptions.SectionName);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Window settings are read from the old section \"{Legacy}\"; rename it to \"{Current}\" (environment: {Current}__Size …), the old name will stop working in the next release")]
    private partial void LogLegacySection(string legacy, string current);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Configuration section \"{Legacy}\" is ignored because \"{Current}\" is set; remove the old one")]
    private partial void LogLegacyIgnored(string legacy, string current);
}
