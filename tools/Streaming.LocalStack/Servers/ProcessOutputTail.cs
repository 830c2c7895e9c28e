namespace Streaming.LocalStack.Servers;

/// <summary>Keeps the last lines a child process wrote, to explain why it failed.</summary>
internal sealed class ProcessOutputTail
{
    private const int MaxLines = 50;
    private readonly Queue<string> _lines = new();

    public void Add(string? line)
    {
        if (line is null)
            return;
        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > MaxLines)
                _lines.Dequeue();
        }
    }

    public override string ToString()
    {
        lock (_lines)
            return string.Join(Environment.NewLine, _lines);
    }
}
