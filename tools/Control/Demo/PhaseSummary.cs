namespace Streaming.Control.Demo;

public sealed record PhaseSummary(string Stream, int Images, int ExpectedWindows, int Windows, int Alerts, double AlertRate);
