namespace Streaming.Control.RedTeam;

/// <summary>How the run was made, for the report: the pipeline attacked and the traffic's shape.</summary>
public sealed record RedTeamSettings(
    string Pipeline,
    string Model,
    int WindowSize,
    int WindowSlide,
    int? Permutations,
    double? Alpha,
    double Rate,
    int BatchSize,
    int Seed);
