namespace Streaming.Detection.Online;

/// <summary>
/// One stream's sliding window of one layer, with the kernel sums the unbiased MMD² needs, kept up
/// to date per event in O(n_ref·d + W·d): the kernel of the new vector against the reference part
/// (a column sum) and against the other W-1 window vectors. The oldest vector's slot is reused.
/// </summary>
internal sealed class OnlineLayerState
{
    private readonly OnlineLayerModel _model;
    private readonly float[] _window;        // W × d, ring
    private readonly double[] _crossSums;    // per slot: Σ over the reference part of k(x, y_slot)
    private readonly double[] _windowKernel; // W × W, k(y_i, y_j) by slot
    private int _next;

    private OnlineLayerState(OnlineLayerModel model, float[] window, double[] crossSums, double[] windowKernel, int next)
    {
        _model = model;
        _window = window;
        _crossSums = crossSums;
        _windowKernel = windowKernel;
        _next = next;
    }

    public static OnlineLayerState Initial(OnlineLayerModel model)
    {
        int w = model.WindowSize;
        var state = new OnlineLayerState(model, new float[w * model.Dimension], new double[w], new double[w * w], 0);
        for (int i = 0; i < w; i++)
        {
            state.Add(model.InitialWindow.AsSpan(i * model.Dimension, model.Dimension));
        }
        return state;
    }

    public OnlineLayerState Clone() =>
        new(_model, (float[])_window.Clone(), (double[])_crossSums.Clone(), (double[])_windowKernel.Clone(), _next);

    /// <summary>Replaces the oldest vector by <paramref name="vector"/> and returns the window's MMD² against the reference part.</summary>
    public double Add(ReadOnlySpan<float> vector)
    {
        int w = _model.WindowSize;
        int d = _model.Dimension;
        int slot = _next;
        _next = (_next + 1) % w;
        vector.CopyTo(_window.AsSpan(slot * d, d));

        var reference = _model.ReferencePart;
        double cross = 0;
        for (int r = 0; r < _model.ReferenceCount; r++)
        {
            cross += _model.Kernel(reference.AsSpan(r * d, d), vector);
        }
        _crossSums[slot] = cross;
        for (int other = 0; other < w; other++)
        {
            double k = other == slot ? 0 : _model.Kernel(_window.AsSpan(other * d, d), vector);
            _windowKernel[slot * w + other] = k;
            _windowKernel[other * w + slot] = k;
        }
        return Statistic();
    }

    /// <summary>
    /// Witness function at each window vector, oldest first: mean kernel to the other window vectors
    /// minus mean kernel to the reference part. The largest values are the events that pulled the
    /// window away from the reference.
    /// </summary>
    public double[] WitnessScores()
    {
        int w = _model.WindowSize;
        var scores = new double[w];
        for (int age = 0; age < w; age++)
        {
            int slot = (_next + age) % w;
            double within = 0;
            for (int other = 0; other < w; other++)
            {
                within += _windowKernel[slot * w + other];
            }
            scores[age] = within / (w - 1) - _crossSums[slot] / _model.ReferenceCount;
        }
        return scores;
    }

    private double Statistic()
    {
        int w = _model.WindowSize;
        double within = 0;
        foreach (double k in _windowKernel)
        {
            within += k; // the diagonal is kept at 0
        }
        double cross = 0;
        foreach (double s in _crossSums)
        {
            cross += s;
        }
        return _model.ReferenceKernelMean + within / ((double)w * (w - 1)) - 2 * cross / ((double)_model.ReferenceCount * w);
    }
}
