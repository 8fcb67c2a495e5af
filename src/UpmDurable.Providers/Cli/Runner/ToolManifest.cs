using System.Text.Json;
using System.Text.RegularExpressions;
using UpmDurable.Core.Json;

namespace UpmDurable.Providers.Cli.Runner;

/// <summary>
/// The tool manifest: maps tool names to a path and an exact version. JSON:
/// <c>{"tools": {"kubectl-1.29": {"path": "/usr/local/bin/kubectl", "version": "1.29.3", "version_args": ["version","--client"],
/// "version_pattern": "v(\\d+\\.\\d+\\.\\d+)", "command": "kubectl"}}}</c>.
/// </summary>
public sealed class ToolManifest
{
    public const string DefaultVersionPattern = @"(\d+\.\d+(?:\.\d+)?)";

    static readonly TimeSpan VersionTimeout = TimeSpan.FromSeconds(30);

    readonly Dictionary<string, ToolSpec> _byCommand;

    ToolManifest(Dictionary<string, ToolSpec> tools)
    {
        Tools = tools;
        _byCommand = new Dictionary<string, ToolSpec>(StringComparer.Ordinal);
        foreach (ToolSpec tool in tools.Values)
        {
            if (!_byCommand.TryAdd(tool.CommandName, tool))
            {
                throw new FormatException($"tool manifest: command '{tool.CommandName}' is claimed by both '{_byCommand[tool.CommandName].Name}' and '{tool.Name}'");
            }
        }
    }

    /// <summary>Tools by manifest key.</summary>
    public IReadOnlyDictionary<string, ToolSpec> Tools { get; }

    /// <summary>An empty manifest: nothing may run.</summary>
    public static ToolManifest Empty { get; } = new([]);

    /// <summary>Reads a manifest from JSON; unknown fields, relative paths and bad patterns are refused with <see cref="FormatException"/>.</summary>
    public static ToolManifest Load(string json)
    {
        ManifestDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize<ManifestDocument>(json, UpmJson.StrictRequest);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"tool manifest: {ex.Message}", ex);
        }

        if (doc?.Tools is null)
        {
            throw new FormatException("tool manifest: a 'tools' object is required");
        }

        var tools = new Dictionary<string, ToolSpec>(StringComparer.Ordinal);
        foreach ((string name, ToolSpec spec) in doc.Tools)
        {
            if (spec is null || string.IsNullOrWhiteSpace(spec.Path) || !System.IO.Path.IsPathRooted(spec.Path))
            {
                throw new FormatException($"tool manifest: '{name}' needs an absolute 'path'");
            }

            if (string.IsNullOrWhiteSpace(spec.Version))
            {
                throw new FormatException($"tool manifest: '{name}' needs a 'version'");
            }

            try
            {
                _ = new Regex(spec.VersionPattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                throw new FormatException($"tool manifest: '{name}' has an invalid 'version_pattern': {ex.Message}", ex);
            }

            tools[name] = spec with { Name = name };
        }

        return new ToolManifest(tools);
    }

    /// <summary>Reads a manifest file.</summary>
    public static ToolManifest LoadFile(string path) => Load(File.ReadAllText(path));

    /// <summary>Builds a manifest in code (tests, hosts).</summary>
    public static ToolManifest From(IEnumerable<ToolSpec> tools) =>
        new(tools.ToDictionary(t => t.Name, StringComparer.Ordinal));

    /// <summary>Finds the tool a command line names, by its command name or its manifest key.</summary>
    public bool TryResolve(string program, out ToolSpec tool)
    {
        if (_byCommand.TryGetValue(program, out ToolSpec? byCommand) || Tools.TryGetValue(program, out byCommand))
        {
            tool = byCommand;
            return true;
        }

        tool = null!;
        return false;
    }

    /// <summary>Pre-flight check of one tool (by key or command name): present, executable, and reporting the pinned version.</summary>
    public Task<ToolCheck> CheckAsync(string toolName, CancellationToken cancellationToken = default) =>
        CheckAsync(toolName, new Dictionary<string, string>(), cancellationToken);

    /// <summary>Pre-flight check of one tool, its version command run in the default clean room with the given credentials.</summary>
    public Task<ToolCheck> CheckAsync(string toolName, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken = default) =>
        CheckAsync(toolName, ChildEnvironment.Default, environment, cancellationToken);

    /// <summary>Pre-flight check of one tool, its version command run in the same clean room as the tool's commands (e.g. its private config folder).</summary>
    public async Task<ToolCheck> CheckAsync(string toolName, ChildEnvironment room, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken = default)
    {
        if (!TryResolve(toolName, out ToolSpec tool))
        {
            return new ToolCheck(toolName, ToolCheckStatus.NotInManifest, null, null, null, $"tool '{toolName}' is not in the tool manifest");
        }

        if (!File.Exists(tool.Path))
        {
            return new ToolCheck(tool.Name, ToolCheckStatus.Missing, tool.Path, tool.Version, null, $"tool '{tool.Name}' is missing: no file at {tool.Path} (expected version {tool.Version})");
        }

        ProcessOutcome outcome;
        try
        {
            outcome = await ProcessPipeline.RunAsync(
                [[tool.Path, .. tool.VersionArgs]],
                room,
                environment,
                VersionTimeout,
                maxOutputBytes: 64 * 1024,
                cancellationToken);
        }
        catch (ProgramStartException ex)
        {
            return new ToolCheck(tool.Name, ToolCheckStatus.Missing, tool.Path, tool.Version, null, $"tool '{tool.Name}' at {tool.Path} cannot be started: {ex.InnerException?.Message ?? ex.Message}");
        }

        string text = outcome.Stdout + "\n" + outcome.Stderr;
        Match m = Regex.Match(text, tool.VersionPattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        if (outcome.TimedOut || !m.Success)
        {
            string why = outcome.TimedOut ? "timed out" : $"rc {outcome.Rc}, no match for /{tool.VersionPattern}/";
            return new ToolCheck(tool.Name, ToolCheckStatus.VersionUnreadable, tool.Path, tool.Version, null, $"tool '{tool.Name}' at {tool.Path}: cannot read its version ({why})");
        }

        string actual = m.Groups.Count > 1 && m.Groups[1].Success ? m.Groups[1].Value : m.Value;
        return VersionMatches(tool.Version, actual)
            ? new ToolCheck(tool.Name, ToolCheckStatus.Ok, tool.Path, tool.Version, actual, $"tool '{tool.Name}' {actual} at {tool.Path}")
            : new ToolCheck(tool.Name, ToolCheckStatus.WrongVersion, tool.Path, tool.Version, actual, $"tool '{tool.Name}' at {tool.Path} is version {actual}, the manifest pins {tool.Version}");
    }

    /// <summary>Checks every tool of the manifest, in key order.</summary>
    public async Task<IReadOnlyList<ToolCheck>> CheckAllAsync(CancellationToken cancellationToken = default)
    {
        var checks = new List<ToolCheck>();
        foreach (string name in Tools.Keys.Order(StringComparer.Ordinal))
        {
            checks.Add(await CheckAsync(name, cancellationToken));
        }

        return checks;
    }

    /// <summary>Exact match by dot segment; an <c>x</c> or <c>*</c> segment matches that segment and everything after it.</summary>
    public static bool VersionMatches(string expected, string actual)
    {
        string[] e = expected.Split('.');
        string[] a = actual.Split('.');
        for (int i = 0; i < e.Length; i++)
        {
            if (e[i] is "x" or "X" or "*")
            {
                return a.Length > i;
            }

            if (i >= a.Length || !string.Equals(e[i], a[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return e.Length == a.Length;
    }

    sealed record ManifestDocument(Dictionary<string, ToolSpec>? Tools);
}
