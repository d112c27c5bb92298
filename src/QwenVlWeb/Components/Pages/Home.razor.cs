using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using MudBlazor;
using QwenVl.Engine.Video;
using QwenVlWeb.Chat;
using QwenVlWeb.Markdown;
using QwenVlWeb.Services;
using QwenVlWeb.Uploads;

namespace QwenVlWeb.Components.Pages;

/// <summary>
/// The chat page. It owns this tab's conversation and at most one request in the <see cref="GenerationQueue"/>;
/// answers stream in by a pump that renders at most every <see cref="RenderInterval"/> (the first token at once),
/// so a fast model costs one render per batch, not per token, and a slow browser never slows the model.
/// </summary>
public sealed partial class Home : IAsyncDisposable
{
    /// <summary>How often a streaming answer is re-rendered at most.</summary>
    public static readonly TimeSpan RenderInterval = TimeSpan.FromMilliseconds(33);

    public const int MaxPromptLength = 32_000;
    private const string SettingsKey = "qwenvl.settings.v1";

    private readonly Conversation _conversation = new();
    private readonly List<Attachment> _pending = [];
    private readonly CancellationTokenSource _lifetime = new();
    private ChatSettings _settings = new();
    private string _input = string.Empty;
    private bool _settingsOpen;
    private bool _systemDark;
    private int _uploading;
    private IReadOnlyList<string> _shareAddresses = [];
    private GenerationTicket? _ticket;
    private bool _followAnswer;
    private object? _budgetKey;
    private ConversationBudget? _budget;

    private MudThemeProvider? _themeProvider;
    private ElementReference _messages;
    private ElementReference _composer;
    private ElementReference _textarea;
    private ElementReference _fileInput;
    private IJSObjectReference? _module;
    private IJSObjectReference? _binding;
    private bool _bindingStarted;
    private DotNetObjectReference<Home>? _self;

    [Inject]
    private ModelHost Host { get; set; } = default!;

    [Inject]
    private GenerationQueue Queue { get; set; } = default!;

    [Inject]
    private MarkdownRenderer Renderer { get; set; } = default!;

    [Inject]
    private UploadStore Uploads { get; set; } = default!;

    [Inject]
    private ImageIntake Intake { get; set; } = default!;

    [Inject]
    private ExampleGallery Gallery { get; set; } = default!;

    [Inject]
    private ShareAddresses Share { get; set; } = default!;

    [Inject]
    private IOptions<WebSettings> Web { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight { Primary = "#4f46e5", AppbarBackground = "#4f46e5" },
        PaletteDark = new PaletteDark { Primary = "#8b83ff", AppbarBackground = "#1f2130" },
    };

    private bool IsDark => _settings.DarkMode ?? _systemDark;

    /// <summary>This tab has a request queued or running.</summary>
    private bool Busy => _ticket is not null;

    /// <summary>What the file picker offers: images, and videos when ffmpeg is there to read them.</summary>
    private static string AcceptedFiles => FfmpegVideoReader.MissingReason is null
        ? "image/png,image/jpeg,image/webp,image/gif,image/bmp,video/*,.mkv,.flv,.wmv,.avi,.mpeg,.mpg"
        : "image/png,image/jpeg,image/webp,image/gif,image/bmp";

    private bool CanSend => !Busy && _uploading == 0 && (!string.IsNullOrWhiteSpace(_input) || _pending.Count > 0) && CurrentBudget?.Verdict.Fits != false;

    /// <summary>
    /// The next request's cost against the budget, recounted only when what it depends on changed (the conversation
    /// is frozen while an answer streams, so it is not recounted per token).
    /// </summary>
    private ConversationBudget? CurrentBudget
    {
        get
        {
            if (Host.LocalClient is not { } client || Host.Budget is not { } budget)
            {
                return null;
            }

            var turns = _conversation.Turns;
            var key = (turns.Count, turns.Count > 0 ? turns[^1] : null, _pending.Count, _pending.Count > 0 ? _pending[^1] : null, _input, _settings, budget);
            if (Busy || Equals(key, _budgetKey))
            {
                return _budget;
            }

            _budgetKey = key;
            _budget = ConversationBudget.Compute(_conversation, _pending, _input, _settings, client, budget);
            return _budget;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Host.Changed -= OnHostChanged;
        await _lifetime.CancelAsync();
        _ticket?.Cancel();
        try
        {
            if (_binding is not null)
            {
                await _binding.InvokeVoidAsync("dispose");
                await _binding.DisposeAsync();
            }

            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The tab is gone; nothing to clean up on its side.
        }

        _self?.Dispose();
        _lifetime.Dispose();
    }

    [JSInvokable]
    public Task OnUploadStarted() => InvokeAsync(() =>
    {
        _uploading++;
        StateHasChanged();
    });

    [JSInvokable]
    public Task OnUploaded(UploadResult result) => InvokeAsync(() =>
    {
        _uploading = Math.Max(0, _uploading - 1);
        if (result is null || Uploads.Find(result.Id) is not { } image)
        {
            Snackbar.Add("The upload expired before it was attached; please add the image again.", Severity.Warning);
        }
        else
        {
            AddAttachment(image);
        }

        StateHasChanged();
    });

    [JSInvokable]
    public Task OnUploadFailed(string message, bool started) => InvokeAsync(() =>
    {
        if (started)
        {
            _uploading = Math.Max(0, _uploading - 1);
        }

        Snackbar.Add(message, Severity.Error);
        StateHasChanged();
    });

    protected override void OnInitialized()
    {
        Host.Changed += OnHostChanged;
        _shareAddresses = Share.Get();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        try
        {
            if (firstRender)
            {
                _module = await JS.InvokeAsync<IJSObjectReference>("import", _lifetime.Token, "./chat.js");
                _self = DotNetObjectReference.Create(this);
                _settings = Parse(await _module.InvokeAsync<string?>("loadSettings", _lifetime.Token, SettingsKey));
                if (_themeProvider is not null)
                {
                    _systemDark = await _themeProvider.GetSystemDarkModeAsync();
                }

                StateHasChanged();
            }

            // Renders can overlap the awaits below, so a flag (not _binding) makes sure the composer is bound once.
            if (_module is not null && !_bindingStarted && Host.State == ModelState.Ready && _composer.Context is not null)
            {
                _bindingStarted = true;
                _binding = await _module.InvokeAsync<IJSObjectReference>("init", _lifetime.Token, _self, _composer, _textarea, _fileInput, Intake.MaxBytes);
                StateHasChanged(); // data-ready: files, Enter and paste now reach the page.
            }

            if (_module is not null && _followAnswer)
            {
                await _module.InvokeVoidAsync("scrollToEnd", _lifetime.Token, _messages, false);
            }
        }
        catch (Exception ex) when (ex is JSDisconnectedException or OperationCanceledException or TaskCanceledException)
        {
            // The tab went away while we talked to it.
        }
    }

    private static ChatSettings Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return new ChatSettings();
        }

        try
        {
            return (JsonSerializer.Deserialize<ChatSettings>(json) ?? new ChatSettings()).Normalized();
        }
        catch (JsonException)
        {
            return new ChatSettings(); // Settings from an older or tampered browser store: start afresh.
        }
    }

    private void OnHostChanged() => _ = InvokeAsync(StateHasChanged);

    private async Task OnSettingsChangedAsync(ChatSettings settings)
    {
        _settings = settings;
        await SaveSettingsAsync();
    }

    private async Task ToggleThemeAsync()
    {
        _settings = _settings with { DarkMode = !IsDark };
        await SaveSettingsAsync();
    }

    private async Task SaveSettingsAsync()
    {
        if (_module is null)
        {
            return;
        }

        try
        {
            await _module.InvokeVoidAsync("saveSettings", _lifetime.Token, SettingsKey, JsonSerializer.Serialize(_settings));
        }
        catch (JSDisconnectedException)
        {
        }
    }

    private async Task OpenFilePickerAsync()
    {
        if (_module is not null)
        {
            await _module.InvokeVoidAsync("openFilePicker", _fileInput);
        }
    }

    private void AddAttachment(UploadedMedia image)
    {
        var max = Web.Value.MaxImagesPerMessage;
        if (_pending.Count >= max)
        {
            Snackbar.Add($"A message can carry at most {max} images and videos; {image.Name} was not added.", Severity.Warning);
            return;
        }

        _pending.Add(new Attachment(image));
    }

    private void RemoveAttachment(Attachment attachment) => _pending.Remove(attachment);

    private async Task PickExampleAsync(ExampleCard card)
    {
        byte[] data;
        try
        {
            data = await File.ReadAllBytesAsync(card.ImagePath, _lifetime.Token);
        }
        catch (IOException)
        {
            Snackbar.Add($"The example image {Path.GetFileName(card.ImagePath)} could not be read.", Severity.Error);
            return;
        }

        var (image, problem, _) = await Intake.AcceptAsync(Path.GetFileName(card.ImagePath), data, _lifetime.Token);
        if (image is null)
        {
            Snackbar.Add(problem!, Severity.Error);
            return;
        }

        _pending.Clear();
        _pending.Add(new Attachment(image));
        _input = card.Prompt;
    }

    private void SendAsync()
    {
        if (!CanSend)
        {
            return;
        }

        if (_pending.Select(_settings.Cost).FirstOrDefault(c => c.Problem is not null) is { } bad)
        {
            Snackbar.Add(bad.Problem!, Severity.Error);
            return;
        }

        if (CurrentBudget?.Verdict.Refusal is { } refusal)
        {
            Snackbar.Add(refusal, Severity.Error);
            return;
        }

        _conversation.Add(ConversationTurn.User(_input.Trim(), [.. _pending]));
        _input = string.Empty;
        _pending.Clear();
        StartAnswer();
    }

    private void Regenerate(ConversationTurn answer)
    {
        if (Busy)
        {
            return;
        }

        var index = _conversation.Turns.ToList().IndexOf(answer);
        if (index <= 0)
        {
            return;
        }

        _conversation.TruncateAfter(_conversation.Turns[index - 1]);
        StartAnswer();
    }

    private void EditAndResend((ConversationTurn Turn, string Text) edit)
    {
        if (Busy || string.IsNullOrWhiteSpace(edit.Text))
        {
            return;
        }

        edit.Turn.Text = edit.Text.Trim();
        _conversation.TruncateAfter(edit.Turn);
        StartAnswer();
    }

    private void Stop() => _ticket?.Cancel();

    private void Clear()
    {
        _ticket?.Cancel();
        _conversation.Clear();
    }

    private void StartAnswer()
    {
        var messages = _conversation.ToChatMessages(_settings);
        var answer = ConversationTurn.Answer(Renderer);
        _conversation.Add(answer);
        var ticket = Queue.Enqueue(messages, _settings.ToChatOptions(), _lifetime.Token);
        _ticket = ticket;
        _followAnswer = true;
        _ = PumpAsync(ticket, answer);
    }

    /// <summary>
    /// Moves a request's events into its answer and renders in batches: wait for an event, take all that are there,
    /// render, then let at least <see cref="RenderInterval"/> pass before the next render.
    /// </summary>
    private async Task PumpAsync(GenerationTicket ticket, ConversationTurn answer)
    {
        var events = ticket.Events;
        try
        {
            while (await events.WaitToReadAsync(CancellationToken.None))
            {
                while (events.TryRead(out var update))
                {
                    Apply(answer, update);
                }

                answer.Markdown!.Refresh();
                await InvokeAsync(StateHasChanged);
                if (answer.State is AnswerState.Queued or AnswerState.Streaming)
                {
                    await Task.Delay(RenderInterval, CancellationToken.None);
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // The circuit closed while streaming; its request was cancelled with it.
        }
        finally
        {
            if (ReferenceEquals(_ticket, ticket))
            {
                _ticket = null;
            }

            ticket.Dispose();
            if (answer.State is AnswerState.Queued or AnswerState.Streaming)
            {
                answer.State = AnswerState.Stopped;
                answer.Markdown!.Complete();
            }

            _followAnswer = false;
            try
            {
                await InvokeAsync(StateHasChanged);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private static void Apply(ConversationTurn answer, GenerationEvent update)
    {
        switch (update)
        {
            case GenerationEvent.Queued queued:
                answer.State = AnswerState.Queued;
                answer.QueuePosition = queued.Position;
                break;
            case GenerationEvent.Started:
                answer.State = AnswerState.Streaming;
                answer.QueuePosition = 0;
                break;
            case GenerationEvent.Text text:
                answer.State = AnswerState.Streaming;
                answer.Markdown!.Append(text.Delta);
                answer.Tokens = text.Tokens;
                break;
            case GenerationEvent.Completed completed:
                answer.Stats = completed.Stats;
                answer.FinishReason = completed.FinishReason;
                answer.State = AnswerState.Done;
                answer.Markdown!.Complete();
                break;
            case GenerationEvent.Failed failed:
                answer.Error = failed.Message;
                answer.State = AnswerState.Failed;
                answer.Markdown!.Complete();
                break;
            case GenerationEvent.Cancelled:
                answer.State = AnswerState.Stopped;
                answer.Markdown!.Complete();
                break;
        }
    }

    private async Task CopyAnswerAsync(ConversationTurn answer) => await CopyAsync(answer.AnswerText, announce: true);

    private async Task CopyAsync(string text, bool announce)
    {
        if (_module is null)
        {
            return;
        }

        var copied = await _module.InvokeAsync<bool>("copyText", text);
        if (announce)
        {
            Snackbar.Add(copied ? "Copied." : "The browser did not allow copying.", copied ? Severity.Success : Severity.Warning);
        }
    }
}
