namespace Streaming.Control.Cli;

/// <summary>A command cannot go on; the message is written for the user and printed as the one <c>error:</c> line.</summary>
public sealed class CliFailureException : Exception
{
    public CliFailureException(string message)
        : base(message)
    {
    }

    public CliFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CliFailureException()
    {
    }
}
