namespace Streaming.Control.Demo;

public sealed record StreamCounts(int Windows, int Alerts);
