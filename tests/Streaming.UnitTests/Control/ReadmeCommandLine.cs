namespace Streaming.UnitTests.Control;

/// <summary>One <c>control</c> invocation found in a markdown code block: where it is and its arguments.</summary>
public sealed record ReadmeCommandLine(string Location, IReadOnlyList<string> Arguments);
