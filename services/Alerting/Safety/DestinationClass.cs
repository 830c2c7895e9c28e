namespace Streaming.Alerting.Safety;

/// <summary>What <see cref="NetworkAddressPolicy.Classify"/> makes of an address a webhook would connect to.</summary>
public enum DestinationClass
{
    /// <summary>A public unicast address: always allowed.</summary>
    Public,

    /// <summary>Loopback, RFC 1918, unique-local, CGNAT: allowed only with Alerting:AllowPrivateNetworks.</summary>
    Private,

    /// <summary>
    /// Never a webhook, whatever the settings: link-local and cloud metadata services, multicast,
    /// broadcast, unspecified, and tunnels whose real destination cannot be judged.
    /// </summary>
    Forbidden,
}
