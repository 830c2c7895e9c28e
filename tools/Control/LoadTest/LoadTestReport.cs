namespace Streaming.Control.LoadTest;

public sealed record LoadTestReport(
    double DurationSeconds,
    long ImagesSent,
    double AchievedRate,
    long Errors,
    long SkippedRequests,
    LatencyPercentiles InferenceLatencyMs,
    IReadOnlyList<PhaseResult> Phases,
    IReadOnlyDictionary<string, long> MaxConsumerLag,
    IReadOnlyDictionary<string, double> MaxRssMb,
    double? KafkaCeilingProducePerSecond,
    double? KafkaCeilingConsumePerSecond);
