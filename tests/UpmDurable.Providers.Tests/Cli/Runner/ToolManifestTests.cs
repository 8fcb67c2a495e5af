using UpmDurable.Core.Execution;
using UpmDurable.Providers.Cli.Runner;
using Xunit;

namespace UpmDurable.Providers.Tests.Cli.Runner;

public sealed class ToolManifestTests : IDisposable
{
    readonly FakeTools _tools = new();

    public void Dispose() => _tools.Dispose();

    ToolManifest Manifest(string version, string path) => ToolManifest.Load($$$"""
        {"tools": {
          "kubectl-1.29": {"path": "{{{path}}}", "version": "{{{version}}}", "version_args": ["version", "--client"],
                           "version_pattern": "v(\\d+\\.\\d+\\.\\d+)", "command": "kubectl"},
          "az": {"path": "/usr/bin/az-not-installed-here", "version": "2.45.0"}
        }}
        """);

    [Fact]
    public void Load_reads_every_field_and_resolves_by_command_or_key()
    {
        ToolManifest manifest = Manifest("1.29.3", "/usr/local/bin/kubectl");

        Assert.True(manifest.TryResolve("kubectl", out ToolSpec byCommand));
        Assert.True(manifest.TryResolve("kubectl-1.29", out ToolSpec byKey));
        Assert.Same(byCommand, byKey);
        Assert.Equal("kubectl-1.29", byCommand.Name);
        Assert.Equal(["version", "--client"], byCommand.VersionArgs);
        Assert.True(manifest.TryResolve("az", out ToolSpec az));
        Assert.Equal(["--version"], az.VersionArgs);
        Assert.False(manifest.TryResolve("bash", out _));
    }

    [Fact]
    public async Task Check_is_ok_when_the_tool_reports_the_pinned_version()
    {
        ToolCheck check = await Manifest("1.29.3", Path.Combine(_tools.Dir, "versioned")).CheckAsync("kubectl-1.29");

        Assert.True(check.Ok, check.Message);
        Assert.Equal(ToolCheckStatus.Ok, check.Status);
        Assert.Equal("1.29.3", check.Actual);
    }

    [Fact]
    public async Task Check_reports_another_version_clearly()
    {
        ToolCheck check = await Manifest("1.30.0", Path.Combine(_tools.Dir, "versioned")).CheckAsync("kubectl");

        Assert.False(check.Ok);
        Assert.Equal(ToolCheckStatus.WrongVersion, check.Status);
        Assert.Equal("1.29.3", check.Actual);
        Assert.Equal("1.30.0", check.Expected);
        Assert.Contains("is version 1.29.3, the manifest pins 1.30.0", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_reports_a_missing_tool_and_an_unknown_one()
    {
        ToolManifest manifest = Manifest("1.29.3", Path.Combine(_tools.Dir, "versioned"));

        ToolCheck missing = await manifest.CheckAsync("az");
        ToolCheck unknown = await manifest.CheckAsync("terraform");

        Assert.Equal(ToolCheckStatus.Missing, missing.Status);
        Assert.Contains("/usr/bin/az-not-installed-here", missing.Message, StringComparison.Ordinal);
        Assert.Equal(ToolCheckStatus.NotInManifest, unknown.Status);
    }

    [Fact]
    public async Task Check_reports_an_unreadable_version()
    {
        string silent = _tools.Script("silent", "echo no version here");
        ToolCheck check = await Manifest("1.29.3", silent).CheckAsync("kubectl");

        Assert.Equal(ToolCheckStatus.VersionUnreadable, check.Status);
    }

    [Fact]
    public async Task Check_all_checks_every_tool()
    {
        IReadOnlyList<ToolCheck> checks = await Manifest("1.29.3", Path.Combine(_tools.Dir, "versioned")).CheckAllAsync();

        Assert.Equal([("az", false), ("kubectl-1.29", true)], checks.Select(c => (c.Tool, c.Ok)));
    }

    [Theory]
    [InlineData("""{"tools": {"x": {"path": "bin/x", "version": "1"}}}""", "absolute")]
    [InlineData("""{"tools": {"x": {"path": "/bin/x"}}}""", "version")]
    [InlineData("""{"tools": {"x": {"path": "/bin/x", "version": "1", "verison_args": []}}}""", "verison_args")]
    [InlineData("""{"tools": {"x": {"path": "/bin/x", "version": "1", "version_pattern": "("}}}""", "version_pattern")]
    [InlineData("""{"tools": {"a": {"path": "/bin/a", "version": "1", "command": "k"}, "b": {"path": "/bin/b", "version": "1", "command": "k"}}}""", "claimed by both")]
    [InlineData("""{}""", "'tools'")]
    public void Load_refuses_bad_manifests(string json, string mentions)
    {
        FormatException ex = Assert.Throws<FormatException>(() => ToolManifest.Load(json));

        Assert.Contains(mentions, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.29.3", "1.29.3", true)]
    [InlineData("1.29.3", "1.29.4", false)]
    [InlineData("1.29", "1.29.3", false)]
    [InlineData("2.x", "2.45.0", true)]
    [InlineData("2.x", "3.0.0", false)]
    [InlineData("2.45.*", "2.45.0", true)]
    public void Versions_match_exactly_or_by_wildcard_segment(string expected, string actual, bool matches)
    {
        Assert.Equal(matches, ToolManifest.VersionMatches(expected, actual));
    }
}
