namespace UpmDurable.Providers.Cli.Runner;

/// <summary>One pinned tool: where it lives, the exact version it must report and how to ask it.</summary>
public sealed record ToolSpec
{
    /// <summary>The manifest key, e.g. <c>kubectl-1.29</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary>Absolute path of the executable; the runner always runs this path, never a PATH lookup.</summary>
    public required string Path { get; init; }

    /// <summary>Exact version (<c>1.29.3</c>); a trailing <c>x</c>/<c>*</c> segment matches anything (<c>2.x</c>).</summary>
    public required string Version { get; init; }

    /// <summary>Arguments that make the tool print its version.</summary>
    public List<string> VersionArgs { get; init; } = ["--version"];

    /// <summary>Regex applied to stdout+stderr of the version command; group 1 (or the whole match) is the version.</summary>
    public string VersionPattern { get; init; } = ToolManifest.DefaultVersionPattern;

    /// <summary>The program name used in command lines (<c>kubectl</c> for key <c>kubectl-1.29</c>); defaults to the key.</summary>
    public string? Command { get; init; }

    /// <summary>The name command lines use for this tool.</summary>
    public string CommandName => Command ?? Name;
}
