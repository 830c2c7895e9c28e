namespace Streaming.Lab.Traffic;

/// <summary>Turns a <see cref="TrafficPlan"/> into the ordered list of images to send, deterministically.</summary>
public static class TrafficPlanner
{
    /// <summary>
    /// Exactly <see cref="TrafficPlan.CleanCount"/> clean items at seeded random positions; source images
    /// drawn without replacement from <paramref name="sourceLabels"/> (with replacement once they run out).
    /// A targeted attack with a fixed target class is only applied to images of another class.
    /// </summary>
    public static IReadOnlyList<TrafficItem> Plan(TrafficPlan plan, IReadOnlyList<int> sourceLabels)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(sourceLabels);
        plan.Validate();
        if (sourceLabels.Count == 0)
            throw new ArgumentException("The source data set is empty.", nameof(sourceLabels));

        var random = new Random(plan.Seed);
        var isClean = new bool[plan.Count];
        Array.Fill(isClean, true, 0, plan.CleanCount);
        random.Shuffle(isClean);

        var spec = plan.Attack;
        var cleanSources = new SourceDraw(sourceLabels.Count, random, _ => true);
        var attackSources = spec.Targeted && spec.TargetClass is { } fixedTarget
            ? new SourceDraw(sourceLabels.Count, random, i => sourceLabels[i] != fixedTarget)
            : cleanSources;

        var items = new TrafficItem[plan.Count];
        for (var position = 0; position < plan.Count; position++)
        {
            if (isClean[position])
            {
                var source = cleanSources.Next();
                items[position] = new TrafficItem(position, source, sourceLabels[source], TrafficItem.CleanAttackName, null, null);
            }
            else
            {
                var source = attackSources.Next();
                var label = sourceLabels[source];
                items[position] = new TrafficItem(
                    position, source, label, spec.Name, spec.IsBounded ? spec.Epsilon : null, spec.Targeted ? spec.TargetFor(label) : null);
            }
        }

        return items;
    }

    /// <summary>Seeded draws of source indices passing a filter: a shuffled pass, then another, and so on.</summary>
    private sealed class SourceDraw
    {
        private readonly int[] order;
        private readonly Random random;
        private int next;

        public SourceDraw(int count, Random random, Func<int, bool> eligible)
        {
            order = Enumerable.Range(0, count).Where(eligible).ToArray();
            if (order.Length == 0)
                throw new ArgumentException("No source image fits the plan (every image is of the target class).");
            this.random = random;
            random.Shuffle(order);
        }

        public int Next()
        {
            if (next == order.Length)
            {
                random.Shuffle(order);
                next = 0;
            }

            return order[next++];
        }
    }
}
