using System.Globalization;
using System.Text.RegularExpressions;

namespace Streaming.Messaging;

/// <summary>
/// A consumer's position moved by librdkafka after an error, read from its warning line (facility OFFSET):
/// "topic [3]: offset reset (at offset 3917 (leader epoch 0), broker 1) to cached BEGINNING offset offset 5480
/// (leader epoch -1): fetch failed due to requested offset not available on the broker: Broker: Offset out of range".
/// The usual cause is retention: the broker deleted messages the group had not read yet, and the consumer resumes
/// past them, so they are never handled. librdkafka reports it only in that line, not as an error event.
/// </summary>
/// <param name="To">The offset consumption resumes at; null when the line does not name it (a logical offset still to be looked up).</param>
public sealed partial record OffsetReset(int Partition, long From, long? To, string Reason)
{
    /// <summary>Messages between the old and the new position that will never be handled; null when unknown, 0 when the position moved back.</summary>
    public long? Skipped => To is { } to ? Math.Max(0, to - From) : null;

    public static bool TryParse(string? text, out OffsetReset reset)
    {
        // Called from librdkafka's log callback: nothing here may throw, so numbers past their type are "not a reset".
        reset = null!;
        if (text is null || Line().Match(text) is not { Success: true } line
            || !int.TryParse(line.Groups["partition"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int partition)
            || !long.TryParse(line.Groups["from"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out long from))
            return false;
        var targets = TargetOffset().Matches(line.Groups["to"].Value);
        long? to = targets.Count > 0 && long.TryParse(targets[^1].Groups["offset"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out long target) ? target : null;
        reset = new OffsetReset(partition, from, to, line.Groups["reason"].Value);
        return true;
    }

    // librdkafka's format: "%s [%d]: offset reset (at %s, broker %d) to %s%s: %s: %s" (rdkafka_offset.c).
    [GeneratedRegex(@"\[(?<partition>\d+)\]: offset reset \(at offset (?<from>\d+)[^,]*, broker -?\d+\) to (?<to>.*?): (?<reason>.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Line();

    [GeneratedRegex(@"offset (?<offset>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex TargetOffset();
}
