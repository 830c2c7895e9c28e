namespace Streaming.Detection.Online;

/// <summary>
/// The sequential detector of one stream: after every event, the MMD² of the last W events of
/// each layer against the layer's reference part, compared with that step's threshold. An alarm
/// (any layer above its threshold) restarts the stream from the clean initial window, so run
/// lengths between alarms are comparable with the configured ERT. Not thread-safe: one stream's
/// events arrive in order on one consumer.
/// </summary>
public sealed class OnlineMmdDetector
{
    private readonly OnlineMmdModel _model;
    private OnlineLayerState[] _states;

    internal OnlineMmdDetector(OnlineMmdModel model)
    {
        _model = model;
        _states = model.FreshStates();
    }

    /// <summary>Events since the start or the last alarm.</summary>
    public long Step { get; private set; }

    /// <param name="vectors">This event's vector of every layer of the model (other layers are ignored).</param>
    public OnlineStepResult Add(IReadOnlyDictionary<string, float[]> vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        var layers = _model.Layers;
        // Validate everything before touching the state, so a bad event leaves the stream as it was.
        Validate(vectors);

        Step++;
        var steps = new OnlineLayerStep[layers.Count];
        bool alarm = false;
        for (int i = 0; i < layers.Count; i++)
        {
            double mmd = _states[i].Add(vectors[layers[i].Layer]);
            double threshold = layers[i].ThresholdAt(Step);
            bool exceeded = mmd > threshold;
            alarm |= exceeded;
            steps[i] = new OnlineLayerStep(layers[i].Layer, mmd, threshold, exceeded);
        }

        if (!alarm)
        {
            return new OnlineStepResult(Step, steps, Alarm: false, []);
        }

        var witness = new double[_model.Options.WindowSize];
        for (int i = 0; i < layers.Count; i++)
        {
            if (!steps[i].Exceeded) continue;
            var scores = _states[i].WitnessScores();
            for (int p = 0; p < witness.Length; p++)
            {
                witness[p] += scores[p];
            }
        }
        var result = new OnlineStepResult(Step, steps, Alarm: true, witness);
        Reset();
        return result;
    }

    /// <summary>
    /// Puts the detector back where a stored stream left it: <paramref name="step"/> events since the
    /// start or the last alarm, and the last events of its window, oldest first (at most the window
    /// size; the initial clean vectors fill the rest, as they do before that many events arrive). The
    /// kernel sums are recomputed from the vectors, so the state is exactly the one the events built.
    /// </summary>
    public void Restore(long step, IReadOnlyList<IReadOnlyDictionary<string, float[]>> windowOldestFirst)
    {
        ArgumentNullException.ThrowIfNull(windowOldestFirst);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (windowOldestFirst.Count > _model.Options.WindowSize)
        {
            throw new ArgumentException($"A stored window of {windowOldestFirst.Count} events is longer than the online window ({_model.Options.WindowSize}).", nameof(windowOldestFirst));
        }
        foreach (var vectors in windowOldestFirst)
        {
            Validate(vectors);
        }

        var states = _model.FreshStates();
        var layers = _model.Layers;
        foreach (var vectors in windowOldestFirst)
        {
            for (int i = 0; i < layers.Count; i++)
            {
                states[i].Add(vectors[layers[i].Layer]);
            }
        }
        _states = states;
        Step = step;
    }

    private void Validate(IReadOnlyDictionary<string, float[]> vectors)
    {
        var layers = _model.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            if (!vectors.TryGetValue(layers[i].Layer, out var vector) || vector is null)
            {
                throw new ArgumentException($"The event lacks layer '{layers[i].Layer}', which the online reference of model '{_model.Model}' requires.", nameof(vectors));
            }
            if (vector.Length != layers[i].Dimension)
            {
                throw new ArgumentException($"Layer '{layers[i].Layer}' has {vector.Length} values; the online reference expects {layers[i].Dimension}.", nameof(vectors));
            }
            int bad = ActivationBounds.FirstUnusable(vector);
            if (bad >= 0)
            {
                throw new ArgumentException($"Layer '{layers[i].Layer}' holds an unusable value ({ActivationBounds.Describe(vector[bad])}) at component {bad}.", nameof(vectors));
            }
        }
    }

    /// <summary>Back to the clean initial window, step 0.</summary>
    public void Reset()
    {
        _states = _model.FreshStates();
        Step = 0;
    }
}
