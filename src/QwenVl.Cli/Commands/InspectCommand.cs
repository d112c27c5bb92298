using System.CommandLine;
using System.Text.Json;
using QwenVl.Engine.Model;
using QwenVl.Engine.Numerics;
using QwenVl.Engine.Processing;
using QwenVl.Engine.Vision;

namespace QwenVl.Cli.Commands;

/// <summary>
/// <c>qwenvl inspect</c>: what the model will be fed for one user turn (ids, vision tokens per image, mRoPE delta,
/// window layout), computed from the configuration and tokenizer files alone.
/// </summary>
internal static class InspectCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var prompt = new PromptArguments();
        prompt.Model.Description = "Model folder (an optimum-intel export, or just its configuration and tokenizer files).";
        var minPixels = new Option<long?>("--min-pixels") { Description = "Smallest resized image area in pixels (default: preprocessor_config.json)." };
        var maxPixels = new Option<long?>("--max-pixels") { Description = "Largest resized image area in pixels (default: preprocessor_config.json)." };
        var dump = new Option<string?>("--dump") { Description = "Folder to write pixel_values.npy, position_ids.npy, rotary_pos_emb.npy (and pixel_values_videos.npy) into." };

        var command = new Command("inspect", "Show the token ids, vision tokens and positions a prompt with images and videos becomes, without running the model.");
        prompt.AddTo(command);
        command.Options.Add(minPixels);
        command.Options.Add(maxPixels);
        command.Options.Add(dump);

        command.SetAction((parse, cancellationToken) => CliErrors.GuardAsync(stderr, async ct =>
        {
            var folder = ModelFolder.Load(parse.GetValue(prompt.Model)!);
            var processor = QwenVlProcessor.Load(folder);
            var defaults = processor.Images.DefaultBudget;
            var budget = new PixelBudget(parse.GetValue(minPixels) ?? defaults.MinPixels, parse.GetValue(maxPixels) ?? defaults.MaxPixels);

            var decoded = prompt.DecodeImages(parse);
            var videos = await prompt.LoadVideosAsync(parse, ct).ConfigureAwait(false);
            var prepared = processor.Prepare(prompt.Turns(parse, decoded, videos), decoded, videos, budget);

            if (parse.GetValue(dump) is { } dumpFolder)
            {
                Dump(dumpFolder, prepared);
            }

            WriteJson(stdout, prepared);
            return 0;
        }, cancellationToken));

        return command;
    }

    private static void Dump(string folder, PreparedPrompt prepared)
    {
        Directory.CreateDirectory(folder);
        var vision = prepared.ImageVision;
        var patchDim = prepared.Images.Count > 0 ? prepared.Images[0].PatchDim : 1176;
        var patches = vision?.PatchCount ?? 0;
        NpyWriter.Write(Path.Combine(folder, "pixel_values.npy"), prepared.ConcatenatedPixelValues(), patches, patchDim);
        NpyWriter.Write(Path.Combine(folder, "position_ids.npy"), prepared.Positions.PositionIds, 3, 1, prepared.Positions.Length);
        NpyWriter.Write(Path.Combine(folder, "rotary_pos_emb.npy"), vision?.RotaryPosEmb ?? [], patches, vision?.RotaryColumns ?? 40);
        if (prepared.VideoVision is { } videoVision)
        {
            NpyWriter.Write(Path.Combine(folder, "pixel_values_videos.npy"), prepared.ConcatenatedVideoPixelValues(), videoVision.PatchCount, prepared.Videos[0].PatchDim);
        }
    }

    private static void WriteJson(TextWriter stdout, PreparedPrompt prepared)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("prompt_tokens", prepared.InputIds.Length);
            WriteArray(json, "input_ids", prepared.InputIds);
            json.WriteNumber("rope_delta", prepared.Positions.RopeDelta);
            json.WriteStartArray("images");
            foreach (var image in prepared.Images)
            {
                json.WriteStartObject();
                json.WriteNumber("width", image.Original.Width);
                json.WriteNumber("height", image.Original.Height);
                json.WriteNumber("resized_width", image.Resized.Width);
                json.WriteNumber("resized_height", image.Resized.Height);
                WriteArray(json, "grid_thw", [image.Grid.T, image.Grid.H, image.Grid.W]);
                json.WriteNumber("tokens", image.TokenCount);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            var vision = prepared.ImageVision;
            WriteArray(json, "image_window_index", vision?.Windows.WindowIndex ?? []);
            WriteArray(json, "image_cu_window_seqlens", vision?.Windows.CuWindowSeqlens ?? []);
            WriteArray(json, "image_cu_seqlens", vision?.FrameBoundaries ?? []);
            json.WriteStartArray("videos");
            foreach (var video in prepared.Videos)
            {
                json.WriteStartObject();
                json.WriteNumber("frames", video.Clip.Plan.FrameCount);
                WriteArray(json, "frame_indices", video.Clip.Plan.FrameIndices.ToArray());
                json.WriteNumber("sample_fps", video.Clip.Plan.SampleFps);
                json.WriteNumber("second_per_grid", video.SecondsPerGrid);
                json.WriteNumber("resized_width", video.Clip.Resized.Width);
                json.WriteNumber("resized_height", video.Clip.Resized.Height);
                WriteArray(json, "grid_thw", [video.Grid.T, video.Grid.H, video.Grid.W]);
                json.WriteNumber("tokens", video.TokenCount);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            var videoVision = prepared.VideoVision;
            WriteArray(json, "video_window_index", videoVision?.Windows.WindowIndex ?? []);
            WriteArray(json, "video_cu_window_seqlens", videoVision?.Windows.CuWindowSeqlens ?? []);
            WriteArray(json, "video_cu_seqlens", videoVision?.FrameBoundaries ?? []);
            json.WriteEndObject();
        }

        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static void WriteArray(Utf8JsonWriter json, string name, ReadOnlySpan<int> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values)
        {
            json.WriteNumberValue(v);
        }

        json.WriteEndArray();
    }

    private static void WriteArray(Utf8JsonWriter json, string name, ReadOnlySpan<long> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values)
        {
            json.WriteNumberValue(v);
        }

        json.WriteEndArray();
    }
}
