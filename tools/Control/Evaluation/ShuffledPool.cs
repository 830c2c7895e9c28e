namespace Streaming.Control.Evaluation;

/// <summary>Indices 0..count-1 in random order, reshuffled at every pass: a stream that draws each item once per pass.</summary>
internal sealed class ShuffledPool(int count, Random random)
{
    private readonly int[] _order = [.. Enumerable.Range(0, count)];
    private int _position = count;

    public int Next()
    {
        if (_position == _order.Length)
        {
            random.Shuffle(_order);
            _position = 0;
        }
        return _order[_position++];
    }
}
