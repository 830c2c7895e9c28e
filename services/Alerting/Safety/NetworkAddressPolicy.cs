using System.Net;
using System.Net.Sockets;

namespace Streaming.Alerting.Safety;

/// <summary>
/// Which IP addresses a webhook may reach. Public unicast: always. Loopback, RFC 1918,
/// unique-local (fc00::/7) and CGNAT (100.64.0.0/10): only with Alerting:AllowPrivateNetworks.
/// Never, whatever the settings: link-local (169.254.0.0/16, fe80::/10, where every cloud's
/// metadata service answers), the metadata addresses outside link-local (fd00:ec2::254 on AWS,
/// 100.100.100.200 on Alibaba, 168.63.129.16 Azure's host endpoint), unspecified, multicast,
/// broadcast and reserved. A private network is a choice an operator can make; a metadata
/// service hands out the machine's cloud credentials, so no setting opens it.
/// Addresses that carry an IPv4 address are judged by it: IPv4-mapped (::ffff:0:0/96), NAT64
/// with the well-known prefix (64:ff9b::/96, RFC 6052: the last 32 bits) and 6to4 (2002::/16,
/// RFC 3056: bits 16-47). Refused outright: Teredo (2001::/32; its destination is an obfuscated
/// client address behind a NAT that only the relay knows), local-use NAT64 (64:ff9b:1::/48,
/// RFC 8215; the prefix length, hence where the IPv4 address sits, is a local choice) and the
/// deprecated IPv4-compatible (::/96) and IPv4-translated (::ffff:0:0:0/96) forms.
/// </summary>
public static class NetworkAddressPolicy
{
    private static readonly IPAddress AwsMetadataV6 = IPAddress.Parse("fd00:ec2::254");
    private static readonly IPAddress AlibabaMetadata = IPAddress.Parse("100.100.100.200");
    private static readonly IPAddress AzureWireServer = IPAddress.Parse("168.63.129.16");

    /// <summary>Whether a connection to <paramref name="address"/> is allowed under the given setting.</summary>
    public static bool IsAllowed(IPAddress address, bool allowPrivateNetworks) => Classify(address) switch
    {
        DestinationClass.Public => true,
        DestinationClass.Private => allowPrivateNetworks,
        _ => false,
    };

    /// <summary>Anything but a public address (kept for callers that only ask "is it internal?").</summary>
    public static bool IsPrivateOrLocal(IPAddress address) => Classify(address) != DestinationClass.Public;

    public static DestinationClass Classify(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => ClassifyV4(address),
            AddressFamily.InterNetworkV6 => ClassifyV6(address),
            _ => DestinationClass.Forbidden, // Unknown families are not webhook destinations.
        };
    }

    /// <summary>"localhost" and its subdomains resolve to loopback by convention (RFC 6761).</summary>
    public static bool IsLocalhostName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);

    private static DestinationClass ClassifyV4(IPAddress address)
    {
        if (address.Equals(AlibabaMetadata) || address.Equals(AzureWireServer)) return DestinationClass.Forbidden;
        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return b[0] switch
        {
            0 => DestinationClass.Forbidden,              // "this network"; 0.0.0.0 reaches the local host
            10 or 127 => DestinationClass.Private,
            100 when b[1] is >= 64 and < 128 => DestinationClass.Private,   // 100.64.0.0/10 carrier-grade NAT
            169 when b[1] == 254 => DestinationClass.Forbidden,             // link-local, cloud metadata
            172 when b[1] is >= 16 and < 32 => DestinationClass.Private,
            192 when b[1] == 168 => DestinationClass.Private,
            192 when b[1] == 0 && b[2] == 0 => DestinationClass.Private,    // 192.0.0.0/24 IETF protocol assignments
            >= 224 => DestinationClass.Forbidden,         // multicast, reserved, broadcast
            _ => DestinationClass.Public,
        };
    }

    private static DestinationClass ClassifyV6(IPAddress address)
    {
        if (address.Equals(IPAddress.IPv6Loopback)) return DestinationClass.Private;
        if (address.Equals(AwsMetadataV6)) return DestinationClass.Forbidden;
        if (address.IsIPv6LinkLocal || address.IsIPv6Multicast) return DestinationClass.Forbidden;

        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);

        // ::/96: unspecified (::) and the deprecated IPv4-compatible form; ::ffff:0:0:0/96: IPv4-translated.
        if (b[..12].IndexOfAnyExcept((byte)0) < 0) return DestinationClass.Forbidden;
        if (b[..8].IndexOfAnyExcept((byte)0) < 0 && b[8] == 0xFF && b[9] == 0xFF && b[10] == 0 && b[11] == 0)
            return DestinationClass.Forbidden;

        // 64:ff9b::/96, NAT64 well-known prefix: the gateway connects to the IPv4 address in the last 32 bits.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B)
        {
            if (b[4..12].IndexOfAnyExcept((byte)0) < 0) return ClassifyV4(new IPAddress(b[12..]));
            // 64:ff9b:1::/48, local-use NAT64: where the IPv4 address sits depends on a local prefix length.
            return DestinationClass.Forbidden;
        }

        // 2002::/16, 6to4: the tunnel ends at the IPv4 address in bits 16-47.
        if (b[0] == 0x20 && b[1] == 0x02) return ClassifyV4(new IPAddress(b[2..6]));

        // 2001::/32, Teredo: the real destination is an obfuscated address behind a NAT; it cannot be judged.
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) return DestinationClass.Forbidden;

        if (address.IsIPv6SiteLocal) return DestinationClass.Private;   // fec0::/10, deprecated site-local
        if ((b[0] & 0xFE) == 0xFC) return DestinationClass.Private;     // fc00::/7 unique local
        return DestinationClass.Public;
    }
}
