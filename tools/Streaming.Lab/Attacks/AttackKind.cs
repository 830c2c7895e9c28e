namespace Streaming.Lab.Attacks;

/// <summary>The families of synthetic attacks; targeting and random start are separate switches of <see cref="AttackSpec"/>.</summary>
public enum AttackKind
{
    /// <summary>Uniform noise in [-eps, eps] per pixel: a perturbation with no adversarial intent, the control case.</summary>
    Noise,

    /// <summary>1 - x: the "semantic" attack (Hosseini et al.), far outside any L-inf ball.</summary>
    Negation,

    /// <summary>One signed-gradient step of size eps (Goodfellow et al. 2015).</summary>
    Fgsm,

    /// <summary>Basic iterative method: FGSM steps projected back onto the eps ball (Kurakin et al. 2017).</summary>
    Bim,

    /// <summary>Projected gradient descent: BIM from a random point of the eps ball (Madry et al. 2018).</summary>
    Pgd,

    /// <summary>Minimal L2 perturbation to the nearest linearised decision boundary (Moosavi-Dezfooli et al. 2016).</summary>
    DeepFool,
}
