namespace Streaming.Control.RedTeam;

/// <summary>
/// Turns a strategy into the requests to send, deterministically from a seed. Every stream gets whole
/// windows (<see cref="TrafficShape.WholeWindows"/>), so the windows to expect are known exactly.
/// Images are drawn from pools of <c>cleanPool</c> clean and <c>adversarialPool</c> adversarial images:
/// seeded shuffled passes, so an image repeats only once its pool is used up.
/// </summary>
public static class StrategyPlanner
{
    public static StrategyPlan Plan(RedTeamStrategy strategy, TrafficShape shape, string streamPrefix, int seed, int cleanPool, int adversarialPool)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentException.ThrowIfNullOrWhiteSpace(streamPrefix);
        strategy.Validate();
        shape.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cleanPool);
        if (strategy.Family != StrategyFamily.Clean) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(adversarialPool);

        var random = new Random(seed);
        var clean = new PoolDraw(cleanPool, random);
        var adversarial = new PoolDraw(Math.Max(1, adversarialPool), random);
        return strategy.Family switch
        {
            StrategyFamily.Clean => OneStream(streamPrefix, shape, Sequence(shape.WholeWindows(strategy.Images), _ => false), clean, adversarial),
            StrategyFamily.Mix => OneStream(streamPrefix, shape, Mixed(shape.WholeWindows(strategy.Images), strategy.Share, random), clean, adversarial),
            StrategyFamily.Trickle => OneStream(streamPrefix, shape, Sequence(shape.WholeWindows(strategy.Images), i => i % (strategy.TrickleEvery + 1) == strategy.TrickleEvery), clean, adversarial),
            StrategyFamily.Spread => Spread(strategy, shape, streamPrefix, random, clean, adversarial),
            _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy.Family, "Unknown strategy family."),
        };
    }

    /// <summary>The stream id of an adversarial input of a spreading strategy: a new one per input.</summary>
    public static string SpreadStream(string streamPrefix, int index) => $"{streamPrefix}-adv{index:D5}";

    /// <summary>The stream id of clean stream <paramref name="index"/> of a spreading strategy.</summary>
    public static string CleanStream(string streamPrefix, int index) => $"{streamPrefix}-c{index}";

    private static bool[] Sequence(int count, Func<int, bool> adversarial) => [.. Enumerable.Range(0, count).Select(adversarial)];

    /// <summary>Exactly round(count · share) adversarial positions, shuffled.</summary>
    private static bool[] Mixed(int count, double share, Random random)
    {
        var flags = new bool[count];
        Array.Fill(flags, true, 0, (int)Math.Round(count * share, MidpointRounding.AwayFromZero));
        random.Shuffle(flags);
        return flags;
    }

    private static StrategyPlan OneStream(string stream, TrafficShape shape, bool[] adversarial, PoolDraw clean, PoolDraw attacked)
    {
        var requests = new List<PlannedRequest>();
        for (var start = 0; start < adversarial.Length; start += shape.BatchSize)
        {
            var images = adversarial.Skip(start).Take(shape.BatchSize)
                .Select(a => new PlannedImage(a, a ? attacked.Next() : clean.Next()))
                .ToArray();
            requests.Add(new PlannedRequest(stream, images));
        }

        return new StrategyPlan(requests);
    }

    /// <summary>
    /// Clean traffic round-robin over the clean streams, one batch at a time, each of them whole windows;
    /// the adversarial inputs (share of all images sent) as one-image requests on new stream ids, at
    /// seeded random places between the clean requests.
    /// </summary>
    private static StrategyPlan Spread(RedTeamStrategy strategy, TrafficShape shape, string streamPrefix, Random random, PoolDraw clean, PoolDraw attacked)
    {
        var streams = strategy.CleanStreams;
        var cleanTotal = (int)Math.Ceiling(strategy.Images * (1 - strategy.Share));
        var perStream = shape.WholeWindows((cleanTotal + streams - 1) / streams);
        var adversarialCount = (int)Math.Round(perStream * streams * strategy.Share / (1 - strategy.Share), MidpointRounding.AwayFromZero);

        var cleanRequests = new List<PlannedRequest>();
        var batches = (perStream + shape.BatchSize - 1) / shape.BatchSize;
        for (var b = 0; b < batches; b++)
        {
            var size = Math.Min(shape.BatchSize, perStream - (b * shape.BatchSize));
            for (var s = 0; s < streams; s++)
                cleanRequests.Add(new PlannedRequest(CleanStream(streamPrefix, s), [.. Enumerable.Range(0, size).Select(_ => new PlannedImage(false, clean.Next()))]));
        }

        // Slot k: before clean request k (slot cleanRequests.Count: after the last one).
        var slots = Enumerable.Range(0, adversarialCount).Select(_ => random.Next(cleanRequests.Count + 1)).Order().ToArray();
        var requests = new List<PlannedRequest>(cleanRequests.Count + adversarialCount);
        var next = 0;
        for (var k = 0; k <= cleanRequests.Count; k++)
        {
            while (next < slots.Length && slots[next] == k)
            {
                requests.Add(new PlannedRequest(SpreadStream(streamPrefix, next), [new PlannedImage(true, attacked.Next())]));
                next++;
            }

            if (k < cleanRequests.Count) requests.Add(cleanRequests[k]);
        }

        return new StrategyPlan(requests);
    }

    /// <summary>Seeded draws from a pool: a shuffled pass, then another, and so on.</summary>
    private sealed class PoolDraw(int count, Random random)
    {
        private readonly int[] _order = Shuffled(count, random);
        private int _next;

        public int Next()
        {
            if (_next == _order.Length)
            {
                random.Shuffle(_order);
                _next = 0;
            }

            return _order[_next++];
        }

        private static int[] Shuffled(int count, Random random)
        {
            var order = Enumerable.Range(0, count).ToArray();
            random.Shuffle(order);
            return order;
        }
    }
}
