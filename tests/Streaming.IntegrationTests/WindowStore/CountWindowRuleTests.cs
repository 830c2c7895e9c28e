using Streaming.IntegrationTests.Infrastructure;
using Streaming.WindowStore;
using static Streaming.IntegrationTests.WindowStore.WindowTestContext;

namespace Streaming.IntegrationTests.WindowStore;

/// <summary>
/// The count-window rule is stated once in C# and once in Lua (it must run inside the append
/// script); these runs on a real redis-server show both close the same windows.
/// </summary>
[Collection(RedisFixtureCollection.Name)]
public sealed class CountWindowRuleTests(RedisFixture redis)
{
    [Fact]
    public async Task LuaFunction_EveryCaseOfAGrid_AgreesWithCloses()
    {
        var db = redis.Connection.GetDatabase();
        const string script = CountWindowRule.LuaFunction + "return closesCountWindow(tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])) and 1 or 0";
        var disagreements = new List<string>();
        var (closing, cases) = (0, 0);
        for (var size = 2; size <= 5; size++)
        for (var slide = 1; slide <= size; slide++)
        for (var since = 0; since <= 6; since++)
        for (var held = 0; held <= size; held++)
        {
            var lua = (long)await db.ScriptEvaluateAsync(script, [], [since, held, size, slide]) == 1;
            var cs = CountWindowRule.Closes(since, held, size, slide);
            (closing, cases) = (closing + (cs ? 1 : 0), cases + 1);
            if (lua != cs) disagreements.Add($"since {since}, held {held}, size {size}, slide {slide}: Lua {lua}, C# {cs}");
        }

        Assert.Empty(disagreements);
        Assert.InRange(closing, 1, cases - 1); // Not vacuous: both answers occur.
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(4, 2)]
    [InlineData(5, 3)]
    [InlineData(4, 4)]
    public async Task AppendAsync_StreamOfDistinctEvents_ClosesWindowsExactlyWhereTheRuleSays(int size, int slide)
    {
        var context = new WindowTestContext(redis, o => { o.Size = size; o.Slide = slide; });
        const int events = 13;

        var results = await AppendAllAsync(context.CreateWriter(), Events("a", 0, events));

        var expected = new List<bool>();
        var (sincePrevious, held) = (0, 0);
        for (var i = 0; i < events; i++)
        {
            (sincePrevious, held) = (sincePrevious + 1, Math.Min(held + 1, size));
            var closes = CountWindowRule.Closes(sincePrevious, held, size, slide);
            if (closes) sincePrevious = 0;
            expected.Add(closes);
        }

        Assert.Equal(expected, results.Select(r => r.WindowsCreated == 1));
        Assert.Equal(CountWindowRule.ExpectedCount(events, size, slide), results.Sum(r => r.WindowsCreated));
    }
}
