namespace Streaming.IntegrationTests.Control;

public sealed record ControlRun(int ExitCode, string StandardOutput, string StandardError)
{
    public IReadOnlyList<string> ErrorLines =>
        StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stderr\n{StandardError}\n--- stdout\n{StandardOutput}";
}
