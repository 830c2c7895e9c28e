using static TorchSharp.torch;

namespace Streaming.Ml.Models;

/// <summary>
/// A parameter-free layer whose output is each input's mean squared reconstruction error, shape [N,1].
/// It exists so the error is a named, hookable layer ("recon_error") captured in the same forward pass.
/// Input: the original and the reconstruction concatenated on the channel axis, [N, 2C, H, W].
/// </summary>
public sealed class ReconstructionError() : nn.Module<Tensor, Tensor>("ReconstructionError")
{
    public override Tensor forward(Tensor pair)
    {
        var halves = pair.chunk(2, 1);
        return (halves[0] - halves[1]).square().flatten(1).mean([1L], keepdim: true);
    }
}
