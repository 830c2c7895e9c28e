using System.Security.Cryptography;

namespace Streaming.Detection;

/// <summary>Checksums and ids of reference files: an id derives from the content, so a file published twice is one reference.</summary>
public static class ReferenceIds
{
    /// <summary>Hex digits of the checksum kept in the id: 48 bits, no collision among the references of one model version in practice.</summary>
    public const int ChecksumDigitsInId = 12;

    /// <summary>SHA-256 of the file's bytes, lower-case hex.</summary>
    public static string Checksum(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>"model/version/checksum prefix".</summary>
    public static string Create(string model, string version, string checksum)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(version);
        ArgumentException.ThrowIfNullOrWhiteSpace(checksum);
        return $"{model}/{version}/{checksum[..Math.Min(ChecksumDigitsInId, checksum.Length)]}";
    }
}
