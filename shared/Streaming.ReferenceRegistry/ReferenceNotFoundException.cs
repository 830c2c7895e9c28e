namespace Streaming.ReferenceRegistry;

/// <summary>No reference of that id in the registry (the message names the id and how to list them).</summary>
public sealed class ReferenceNotFoundException : Exception
{
    public ReferenceNotFoundException()
    {
    }

    public ReferenceNotFoundException(string message)
        : base(message)
    {
    }

    public ReferenceNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
