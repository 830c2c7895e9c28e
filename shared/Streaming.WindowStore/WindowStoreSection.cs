using Microsoft.Extensions.Configuration;

namespace Streaming.WindowStore;

/// <summary>
/// Which configuration section holds the window settings: "WindowStore", or the old "Windows" when
/// only that one is set, so a deployment configured before the rename keeps its windows for one release.
/// </summary>
public static class WindowStoreSection
{
    /// <summary>The section to bind <see cref="WindowOptions"/> from, and whether it is the old name.</summary>
    public static (IConfigurationSection Section, bool IsLegacy) Select(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var current = configuration.GetSection(WindowOptions.SectionName);
        var legacy = configuration.GetSection(WindowOptions.LegacySectionName);
        return !current.Exists() && legacy.Exists() ? (legacy, true) : (current, false);
    }

    /// <summary>True when the old section is set next to the new one, so its values are ignored.</summary>
    public static bool LegacyIgnored(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetSection(WindowOptions.SectionName).Exists()
            && configuration.GetSection(WindowOptions.LegacySectionName).Exists();
    }
}
