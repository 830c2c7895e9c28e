namespace Streaming.Messaging;

/// <summary>
/// A message that can never be processed (bad bytes, unknown schema version, invalid content).
/// The consumer dead-letters it with <see cref="Exception.Message"/> as the reason and moves on.
/// </summary>
public sealed class MalformedMessageException(string reason, Exception? inner = null) : Exception(reason, inner);
