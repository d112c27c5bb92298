using Microsoft.ML.OnnxRuntime;
using QwenVl.Engine.Model;

namespace QwenVl.Engine.Runtime.OnnxRuntime;

/// <summary>
/// The language model with an explicit KV cache (<c>past_key_values.{i}.key/value</c> in,
/// <c>present.{i}.key/value</c> out). The present values a step returns are kept as ONNX Runtime values and fed
/// back as the next step's past, so the cache never crosses into managed memory. A graph with
/// <c>num_logits_to_keep</c> computes the last row of logits only; for one without it, only the last row of the
/// step's <c>[1, S, vocab]</c> output is read.
/// </summary>
internal sealed class OnnxRuntimeLanguageModelSession : ILanguageModelSession
{
    private readonly InferenceSession _session;
    private readonly string _name;
    private readonly int _layers;
    private readonly int _kvHeads;
    private readonly int _headDim;
    private readonly int _hidden;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly RunOptions _runOptions = new();
    private readonly long[] _keepLastLogits = [1];
    private OrtValue[] _past;

    public OnnxRuntimeLanguageModelSession(InferenceSession session, string path, TextConfig config)
    {
        _session = session;
        _name = Path.GetFileName(path);
        _layers = session.InputMetadata.Keys.Count(k => k.StartsWith("past_key_values.", StringComparison.Ordinal) && k.EndsWith(".key", StringComparison.Ordinal));
        LanguageModelContract.CheckInputs(session.InputMetadata.Keys, _name);

        if (_layers == 0)
        {
            throw new InferenceException($"{_name} has no past_key_values inputs; stateful exports need the OpenVINO backend.");
        }

        _kvHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        _hidden = config.HiddenSize;
        VocabularySize = (int)session.OutputMetadata["logits"].Dimensions[^1];
        ComputesLastLogitsOnly = session.InputMetadata.ContainsKey(LanguageModelContract.LogitsToKeepInput);
        _inputNames = LanguageModelContract.RequiredInputs
            .Concat(ComputesLastLogitsOnly ? [LanguageModelContract.LogitsToKeepInput] : [])
            .Concat(Enumerable.Range(0, _layers).SelectMany(l => new[] { $"past_key_values.{l}.key", $"past_key_values.{l}.value" })).ToArray();
        _outputNames = new List<string> { "logits" }
            .Concat(Enumerable.Range(0, _layers).SelectMany(l => new[] { $"present.{l}.key", $"present.{l}.value" })).ToArray();
        _past = EmptyCache();
    }

    public int PastLength { get; private set; }

    public TimeSpan RunTime { get; private set; }

    public int VocabularySize { get; }

    public bool ComputesLastLogitsOnly { get; }

    public void Reset()
    {
        DisposePast();
        _past = EmptyCache();
        PastLength = 0;
    }

    public void Forward(ReadOnlySpan<float> inputsEmbeds, int sequenceLength, ReadOnlySpan<long> positionIds, Span<float> lastLogits)
    {
        LanguageModelContract.CheckForward(inputsEmbeds.Length, sequenceLength, positionIds.Length, lastLogits.Length, _hidden, VocabularySize);
        var total = PastLength + sequenceLength;
        var mask = LanguageModelContract.UnpaddedMask(total);
        var inputs = new OrtValue[_inputNames.Length];
        inputs[0] = OrtValue.CreateTensorValueFromMemory(mask, [1, total]);
        inputs[1] = OrtValue.CreateTensorValueFromMemory(positionIds.ToArray(), [3, 1, sequenceLength]);
        inputs[2] = OrtValue.CreateTensorValueFromMemory(inputsEmbeds.ToArray(), [1, sequenceLength, _hidden]);
        var fixedInputs = 3;
        if (ComputesLastLogitsOnly)
        {
            inputs[fixedInputs++] = OrtValue.CreateTensorValueFromMemory(_keepLastLogits, []);
        }

        Array.Copy(_past, 0, inputs, fixedInputs, _past.Length);

        IDisposableReadOnlyCollection<OrtValue> results;
        try
        {
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            results = _session.Run(_runOptions, _inputNames, inputs, _outputNames);
            RunTime += System.Diagnostics.Stopwatch.GetElapsedTime(start);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InferenceException($"Running {_name} failed: {ex.Message}", ex);
        }
        finally
        {
            for (var i = 0; i < fixedInputs; i++)
            {
                inputs[i].Dispose();
            }
        }

        // Only the last row is read; the present values become the next past (owned here from now on).
        using (var logits = results[0])
        {
            CopyLastRow(logits, lastLogits);
        }

        DisposePast();
        _past = results.Skip(1).ToArray();
        PastLength = total;
    }

    public void Dispose()
    {
        DisposePast();
        _runOptions.Dispose();
        _session.Dispose();
    }

    /// <summary>
    /// The last row of a <c>[1, rows, vocab]</c> logits tensor, through a tensor span (native lengths): a span over the
    /// whole tensor cannot exist past 2 GiB, which a graph without <c>num_logits_to_keep</c> reaches at ~3.5k tokens.
    /// </summary>
    private static void CopyLastRow(OrtValue logits, Span<float> lastLogits)
    {
#pragma warning disable SYSLIB5001 // TensorSpan is experimental in .NET 10; it is what ORT offers with native lengths.
        var all = logits.GetTensorDataAsTensorSpan<float>();
        var rows = all.Lengths[^2];
        all.Slice([System.Buffers.NRange.All, new System.Buffers.NRange(rows - 1, rows), System.Buffers.NRange.All]).FlattenTo(lastLogits);
#pragma warning restore SYSLIB5001
    }

    private OrtValue[] EmptyCache() => Enumerable.Range(0, 2 * _layers)
        .Select(_ => OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), [1, _kvHeads, 0, _headDim])).ToArray();

    private void DisposePast()
    {
        foreach (var value in _past ?? [])
        {
            value.Dispose();
        }
    }
}
