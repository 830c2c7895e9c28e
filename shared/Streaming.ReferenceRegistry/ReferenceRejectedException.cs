namespace Streaming.ReferenceRegistry;

/// <summary>A reference the registry refuses (corrupt, of another model or version than declared, or layers that do not match the model's); the message names what is wrong.</summary>
public sealed class ReferenceRejectedException : Exception
{
    public ReferenceRejectedException()
    {
    }

    public ReferenceRejectedException(string message)
        : base(message)
    {
    }

    public ReferenceRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
