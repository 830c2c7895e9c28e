namespace Streaming.Control.LoadTest;

/// <summary>
/// A load test's outcome. <see cref="Sent"/> counts the images or events (<see cref="Source"/>) of requests that
/// succeeded (<see cref="Errors"/> counts failed requests);
/// <see cref="AchievedRate"/> is what the generator delivered per second, <see cref="SustainedRate"/> what the
/// pipeline windowed and tested per second from the first phase's start to the last detection, and
/// <see cref="SustainedToKafkaConsumeRatio"/> that rate over the raw consume rate of the same broker; <see cref="Cpu"/>
/// what each process and the machine spent per item over the run; <see cref="SkippedByReset"/> the messages a
/// service's consumers jumped over after offset resets (the broker dropped them unread: never handled), by service.
/// </summary>
public sealed record LoadTestReport(
    LoadSource Source,
    double DurationSeconds,
    long Sent,
    double AchievedRate,
    long Errors,
    long SkippedRequests,
    LatencyPercentiles SendLatencyMs,
    double SustainedRate,
    IReadOnlyList<PhaseResult> Phases,
    IReadOnlyDictionary<string, long> MaxConsumerLag,
    IReadOnlyDictionary<string, double> MaxRssMb,
    double? KafkaCeilingProducePerSecond,
    double? KafkaCeilingConsumePerSecond,
    double? MeanEventBytes,
    CpuBudgetReport? Cpu = null,
    IReadOnlyDictionary<string, long>? SkippedByReset = null)
{
    public double? SustainedToKafkaConsumeRatio =>
        KafkaCeilingConsumePerSecond is > 0 ? SustainedRate / KafkaCeilingConsumePerSecond.Value : null;
}
