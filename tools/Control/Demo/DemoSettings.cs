namespace Streaming.Control.Demo;

public sealed record DemoSettings(string Model, double TestAccuracy, int WindowSize, int WindowSlide, int ReferenceSize, int CalibrationSize, ulong Seed, int Permutations, double Alpha, string Correction, string Attack, double Epsilon, double AttackSuccessRate);
