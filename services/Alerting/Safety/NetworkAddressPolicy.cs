using System.Net;
using System.Net.Sockets;

namespace Streaming.Alerting.Safety;

/// <summary>
/// Which IP addresses a webhook may not reach unless private networks are allowed: loopback,
/// link-local (cloud metadata lives at 169.254.169.254), RFC 1918 / unique-local, CGNAT,
/// unspecified, multicast and broadcast. IPv4-mapped IPv6 addresses are judged as IPv4.
/// </summary>
public static class NetworkAddressPolicy
{
    public static bool IsPrivateOrLocal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return true;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return b[0] switch
            {
                0 or 10 or 127 => true,
                100 => b[1] is >= 64 and < 128,          // 100.64.0.0/10 carrier-grade NAT
                169 => b[1] == 254,                       // link-local, cloud metadata
                172 => b[1] is >= 16 and < 32,
                192 => b[1] == 168 || (b[1] == 0 && b[2] == 0), // 192.168/16, 192.0.0/24 IETF
                >= 224 => true,                           // multicast, reserved, broadcast
                _ => false,
            };
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any)) return true;
            Span<byte> b = stackalloc byte[16];
            address.TryWriteBytes(b, out _);
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC;                 // fc00::/7 unique local
        }

        return true; // Unknown families are not webhook destinations.
    }

    /// <summary>"localhost" and its subdomains resolve to loopback by convention (RFC 6761).</summary>
    public static bool IsLocalhostName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
}
