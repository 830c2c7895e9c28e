using Streaming.Control.Evaluation;

namespace Streaming.UnitTests.Control;

public sealed class EvaluationAttacksTests
{
    [Fact]
    public void Names_IncludeTheIterativeAndDeepFoolAttacks()
    {
        Assert.Superset(new HashSet<string>(["fgsm", "bim", "pgd", "deepfool"]), EvaluationAttacks.Names.ToHashSet());
    }

    [Fact]
    public void Parse_SeveralAttacks_KeepsOrderAndStrengths()
    {
        var parsed = EvaluationAttacks.Parse("fgsm:0.1,0.3;pgd:0.2");

        Assert.Equal([("fgsm", 0.1), ("fgsm", 0.3), ("pgd", 0.2)], parsed);
    }

    [Fact]
    public void Get_UnknownAttack_ListsTheKnownOnes()
    {
        var ex = Assert.Throws<ArgumentException>(() => EvaluationAttacks.Get("carlini"));

        Assert.Contains("pgd", ex.Message);
    }
}
