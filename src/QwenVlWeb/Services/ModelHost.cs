using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using QwenVl.Engine.Budget;
using QwenVl.Engine.Generation;
using QwenVl.Engine.Model;
using QwenVl.Engine.Runtime;
using QwenVl.Engine.Runtime.OpenVino;
using QwenVl.ModelBuilder;

namespace QwenVlWeb.Services;

/// <summary>
/// Owns the app's one model: loads the configured folder in the background at start-up, or generates and loads the
/// offline demo model when a user asks for it. Pages read <see cref="State"/> and listen to <see cref="Changed"/>;
/// answers go through <see cref="ChatClient"/> only, so a remote engine can take its place later.
/// </summary>
public sealed partial class ModelHost : IChatClientSource, IDisposable
{
    /// <summary>The demo model's seed: fixed, so every install has the same (meaningless) model.</summary>
    public const ulong DemoSeed = 20_250_226;

    private readonly EngineSettings _engine;
    private readonly WebSettings _web;
    private readonly IReadOnlyList<ChatClientDecorator> _decorators;
    private readonly ILogger<ModelHost> _logger;
    private readonly Lock _lock = new();
    private QwenVlModel? _model;
    private Task _loading = Task.CompletedTask;

    public ModelHost(ModelSetup setup, IOptions<EngineSettings> engine, IOptions<WebSettings> web, IEnumerable<ChatClientDecorator> decorators, ILogger<ModelHost> logger)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(web);
        Setup = setup;
        _engine = engine.Value;
        _web = web.Value;
        _decorators = [.. decorators];
        _logger = logger;
        Problem = setup.Problem;
    }

    /// <summary>Raised on every change of <see cref="State"/>, from any thread.</summary>
    public event Action? Changed;

    /// <summary>What the start-up check found.</summary>
    public ModelSetup Setup { get; }

    public ModelState State { get; private set; } = ModelState.Missing;

    /// <summary>Why there is no model, or why loading failed; null when ready.</summary>
    public string? Problem { get; private set; }

    /// <summary>True when the loaded model is the generated demo (random weights).</summary>
    public bool IsDemo { get; private set; }

    /// <summary>The folder's name, for the header.</summary>
    public string ModelName { get; private set; } = string.Empty;

    /// <summary>Which runtime runs the model, in words.</summary>
    public string BackendDescription { get; private set; } = string.Empty;

    /// <summary>The loaded model's chat client; null unless <see cref="State"/> is Ready.</summary>
    public IChatClient? ChatClient { get; private set; }

    /// <summary>The loaded model's own client (no decorators): what the page asks for a request's cost before sending.</summary>
    public QwenVlChatClient? LocalClient { get; private set; }

    /// <summary>The loaded model's request budget; null while no model is ready.</summary>
    public RequestBudget? Budget => _model?.Budget;

    /// <summary>Starts loading the configured model in the background, when there is one.</summary>
    public Task StartAsync()
    {
        if (Setup.Folder is not { } folder)
        {
            return Task.CompletedTask;
        }

        return Begin(() => Load(folder, isDemo: false, _engine.Backend, _engine.Device));
    }

    /// <summary>Generates the demo model (once; it is kept on disk) and loads it on ONNX Runtime.</summary>
    public Task UseDemoModelAsync() => Begin(() =>
    {
        var path = AppPaths.Resolve(_web.DemoModelPath);
        if (!File.Exists(Path.Combine(path, GeneratedModelWriter.MarkerFileName)))
        {
            Log.GeneratingDemo(_logger, path);
            GeneratedModelWriter.Write(path, ModelPreset.Tiny, DemoSeed);
        }

        Load(ModelFolder.Load(path), isDemo: true, "onnxruntime", "CPU");
    });

    public void Dispose()
    {
        lock (_lock)
        {
            _model?.Dispose();
            _model = null;
            ChatClient = null;
            LocalClient = null;
        }
    }

    private Task Begin(Action load)
    {
        lock (_lock)
        {
            if (State == ModelState.Loading)
            {
                return _loading;
            }

            State = ModelState.Loading;
            _loading = Task.Run(() =>
            {
                try
                {
                    load();
                }
                catch (Exception ex)
                {
                    // The boundary of a background load: whatever went wrong, the page must leave "Loading" and say why.
                    Log.LoadFailed(_logger, ex);
                    Set(ModelState.Failed, ex.Message);
                }
            });
        }

        Changed?.Invoke();
        return _loading;
    }

    private void Load(ModelFolder folder, bool isDemo, string backend, string device)
    {
        var model = BackendSelection.Load(folder, backend, device, new OpenVinoSearchSettings { ConfiguredPath = _engine.OpenVinoPath }, _engine.ToLimits());
        var local = new QwenVlChatClient(model, new() { MaxEncodedBytes = _web.MaxUploadBytes, MaxPixels = _web.MaxImagePixels }) { TextIsLiteral = true };
        IChatClient client = local;
        for (var i = _decorators.Count - 1; i >= 0; i--)
        {
            client = _decorators[i].Wrap(client);
        }

        lock (_lock)
        {
            _model?.Dispose();
            _model = model;
            ChatClient = client;
            LocalClient = local;
            IsDemo = isDemo;
            ModelName = Path.GetFileName(folder.Path.TrimEnd(Path.DirectorySeparatorChar));
            BackendDescription = model.BackendDescription;
        }

        Log.Loaded(_logger, folder.Path, model.BackendDescription);
        Set(ModelState.Ready, null);
    }

    private void Set(ModelState state, string? problem)
    {
        lock (_lock)
        {
            State = state;
            Problem = problem;
        }

        Changed?.Invoke();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Generating the demo model (random weights) in {Path}.")]
        public static partial void GeneratingDemo(ILogger logger, string path);

        [LoggerMessage(Level = LogLevel.Information, Message = "Model {Path} loaded on {Backend}.")]
        public static partial void Loaded(ILogger logger, string path, string backend);

        [LoggerMessage(Level = LogLevel.Error, Message = "The model could not be loaded.")]
        public static partial void LoadFailed(ILogger logger, Exception exception);
    }
}
