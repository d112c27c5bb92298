using System.Text.Json;
using QwenVl.Engine.Chat;
using QwenVl.Engine.Tests.TestSupport;

namespace QwenVl.Engine.Tests.Chat;

/// <summary>Expected strings are the model's Jinja template rendered by jinja2 (tests/tools/make_golden.py).</summary>
public class QwenChatTemplateTests
{
    public static TheoryData<string> CaseNames() => Golden.Keys("chat_template");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Renders_byte_for_byte_what_the_Jinja_template_renders(string name)
    {
        var golden = Golden.Case("chat_template", name);
        var turns = golden.GetProperty("messages").EnumerateArray().Select(ToTurn).ToArray();

        var rendered = QwenChatTemplate.Render(turns, golden.GetProperty("add_generation_prompt").GetBoolean(), golden.GetProperty("add_vision_id").GetBoolean());

        Assert.Equal(golden.GetProperty("expected").GetString(), rendered);
    }

    [Fact]
    public void Recognises_the_Qwen2VL_template_of_the_model_folder()
    {
        var template = File.ReadAllText(Path.Combine(TestAssets.ConfigFiles, "chat_template.json"));

        Assert.True(QwenChatTemplate.IsQwenVlTemplate(JsonDocument.Parse(template).RootElement.GetProperty("chat_template").GetString()!));
        Assert.False(QwenChatTemplate.IsQwenVlTemplate("{% for m in messages %}[INST] {{ m.content }} [/INST]{% endfor %}"));
    }

    private static PromptTurn ToTurn(JsonElement message)
    {
        var items = message.GetProperty("content").EnumerateArray().Select(c => c.GetProperty("type").GetString() switch
        {
            "image" => PromptItem.Image,
            "video" => PromptItem.Video,
            _ => PromptItem.FromText(c.GetProperty("text").GetString()!),
        }).ToArray();
        return new PromptTurn(message.GetProperty("role").GetString()!, items);
    }
}
