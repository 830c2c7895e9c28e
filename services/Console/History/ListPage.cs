namespace Streaming.Console.History;

/// <summary>One page of a list: its rows, the number of rows over all pages, and where it is.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, long Total, int Page, int PageSize)
{
    public long Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}
