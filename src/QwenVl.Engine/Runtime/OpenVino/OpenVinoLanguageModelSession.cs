using System.Diagnostics;
using QwenVl.Engine.Model;
using QwenVl.Engine.Runtime.OpenVino.Native;

namespace QwenVl.Engine.Runtime.OpenVino;

/// <summary>
/// The language model under OpenVINO, in either form:
/// the <b>stateful</b> optimum-intel export (inputs inputs_embeds, attention_mask, position_ids, beam_idx; the KV
/// cache lives inside the infer request, and since the C API has no reset_state a reset creates a new request), or
/// an <b>explicit</b> graph with <c>past_key_values.*</c> inputs (our generated ONNX models), whose present values
/// are copied out and fed back.
/// </summary>
internal sealed class OpenVinoLanguageModelSession : ILanguageModelSession
{
    /// <summary>beam_idx for a single sequence: keep cache row 0.</summary>
    private static readonly int[] BeamZero = [0];

    /// <summary>num_logits_to_keep = 1: only the last position's logits.</summary>
    private static readonly long[] KeepLastLogits = [1];

    private readonly OvCompiledModelHandle _compiled;
    private readonly OvElementTypes _types;
    private readonly string _name;
    private readonly int _hidden;
    private readonly int _kvHeads;
    private readonly int _headDim;
    private readonly bool _stateful;
    private readonly int _layers;
    private OvInferRequestHandle _request;
    private float[][] _past;

    public OpenVinoLanguageModelSession(OvCompiledModelHandle compiled, GraphPorts ports, OvElementTypes types, TextConfig config, string name)
    {
        _compiled = compiled;
        _types = types;
        _name = name;
        _hidden = config.HiddenSize;
        _kvHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        var inputs = ports.Inputs.Select(p => p.Name).ToHashSet();
        LanguageModelContract.CheckInputs(inputs, name);

        _layers = inputs.Count(n => n.StartsWith("past_key_values.", StringComparison.Ordinal) && n.EndsWith(".key", StringComparison.Ordinal));
        _stateful = _layers == 0;
        ComputesLastLogitsOnly = inputs.Contains(LanguageModelContract.LogitsToKeepInput);
        if (_stateful && !inputs.Contains("beam_idx"))
        {
            throw new InferenceException($"{name} has neither past_key_values inputs nor beam_idx: its KV cache cannot be driven.");
        }

        var logits = ports.Outputs.FirstOrDefault(o => o.Name == "logits") ?? throw new InferenceException($"{name} has no 'logits' output.");
        VocabularySize = logits.Shape.Count > 0 && logits.Shape[^1] > 0 ? (int)logits.Shape[^1] : config.VocabSize;
        _request = NewRequest();
        _past = EmptyPast();
    }

    public int PastLength { get; private set; }

    public int VocabularySize { get; }

    public bool ComputesLastLogitsOnly { get; }

    public TimeSpan RunTime { get; private set; }

    public void Reset()
    {
        // The C API cannot reset variable state: a fresh request starts with an empty cache.
        if (_stateful && PastLength > 0)
        {
            _request.Dispose();
            _request = NewRequest();
        }

        _past = EmptyPast();
        PastLength = 0;
    }

    public void Forward(ReadOnlySpan<float> inputsEmbeds, int sequenceLength, ReadOnlySpan<long> positionIds, Span<float> lastLogits)
    {
        LanguageModelContract.CheckForward(inputsEmbeds.Length, sequenceLength, positionIds.Length, lastLogits.Length, _hidden, VocabularySize);
        var total = PastLength + sequenceLength;
        var mask = LanguageModelContract.UnpaddedMask(total);

        // Spans cannot enter the step's lambda: the inputs are copied to arrays (which are pinned, not copied again).
        var embeds = inputsEmbeds.ToArray();
        var positions = positionIds.ToArray();
        var logits = new float[lastLogits.Length];
        OvTensors.Step(_name, pins =>
        {
            OvTensors.SetInput(_request, "inputs_embeds", embeds, _types.F32, [1, sequenceLength, _hidden], pins);
            OvTensors.SetInput(_request, "attention_mask", mask, _types.I64, [1, total], pins);
            OvTensors.SetInput(_request, "position_ids", positions, _types.I64, [3, 1, sequenceLength], pins);
            if (ComputesLastLogitsOnly)
            {
                OvTensors.SetInput(_request, LanguageModelContract.LogitsToKeepInput, KeepLastLogits, _types.I64, [], pins);
            }
            if (_stateful)
            {
                OvTensors.SetInput(_request, "beam_idx", BeamZero, _types.I32, [1], pins);
            }
            else
            {
                for (var layer = 0; layer < _layers; layer++)
                {
                    OvTensors.SetInput(_request, $"past_key_values.{layer}.key", _past[2 * layer], _types.F32, [1, _kvHeads, PastLength, _headDim], pins);
                    OvTensors.SetInput(_request, $"past_key_values.{layer}.value", _past[(2 * layer) + 1], _types.F32, [1, _kvHeads, PastLength, _headDim], pins);
                }
            }

            var start = Stopwatch.GetTimestamp();
            OpenVinoException.ThrowIfFailed(OpenVinoInterop.ov_infer_request_infer(_request));
            RunTime += Stopwatch.GetElapsedTime(start);

            OvTensors.ReadTail(_request, "logits", logits);
            if (!_stateful)
            {
                for (var layer = 0; layer < _layers; layer++)
                {
                    _past[2 * layer] = OvTensors.ReadOutput(_request, $"present.{layer}.key", _types).Floats!;
                    _past[(2 * layer) + 1] = OvTensors.ReadOutput(_request, $"present.{layer}.value", _types).Floats!;
                }
            }

            return total;
        });

        logits.CopyTo(lastLogits);
        PastLength = total;
    }

    public void Dispose()
    {
        _request.Dispose();
        _compiled.Dispose();
    }

    private OvInferRequestHandle NewRequest()
    {
        OpenVinoException.ThrowIfFailed(OpenVinoInterop.ov_compiled_model_create_infer_request(_compiled, out var request));
        request.KeepAlive(_compiled);
        return request;
    }

    private float[][] EmptyPast() => Enumerable.Range(0, 2 * _layers).Select(_ => Array.Empty<float>()).ToArray();
}
