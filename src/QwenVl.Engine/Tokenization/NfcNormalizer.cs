using System.Text;
using Microsoft.ML.Tokenizers;

namespace QwenVl.Engine.Tokenization;

/// <summary>Unicode NFC, the normalizer Qwen's tokenizer.json declares; Microsoft.ML.Tokenizers ships none.</summary>
internal sealed class NfcNormalizer : Normalizer
{
    public static NfcNormalizer Instance { get; } = new();

    public override string Normalize(string original) =>
        original.IsNormalized(NormalizationForm.FormC) ? original : original.Normalize(NormalizationForm.FormC);

    public override string Normalize(ReadOnlySpan<char> original) => Normalize(original.ToString());
}
