using UpmDurable.Core.Execution;
using UpmDurable.Core.Model;
using Xunit;

namespace UpmDurable.Core.Tests;

/// <summary>
/// The spec's "Pipe allow-list" example, program by program. The other runner examples are tested where they live:
/// meta blocking per meta (<see cref="CommandLineParserTests"/>), refused pipes, TLS fallback retried once and logged,
/// secret redaction (<see cref="CommandRunnerTests"/>, <see cref="SecretRedactorTests"/>); secrets in stored step
/// records against a real tool in the Providers and EndToEnd cli tests.
/// </summary>
public sealed class SpecAcceptanceExamplesTests
{
    [Fact]
    public void The_default_pipe_allow_list_is_exactly_the_spec_list()
    {
        Assert.Equal(["cut", "grep", "head", "jq", "sort", "tail", "uniq", "wc"], Canonicals.DefaultPipeAllowList.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("grep")]
    [InlineData("jq")]
    [InlineData("wc")]
    [InlineData("head")]
    [InlineData("tail")]
    [InlineData("cut")]
    [InlineData("sort")]
    [InlineData("uniq")]
    public void Each_spec_program_is_allowed_after_a_pipe(string program)
    {
        ParsedCommandLine parsed = CommandGuard.Check($"az storage container list --output json | {program} x", Canonicals.DefaultPipeAllowList);

        Assert.Equal(program, parsed.Segments[1].Program);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    [InlineData("xargs")]
    [InlineData("tee")]
    [InlineData("awk")]
    [InlineData("sed")]
    [InlineData("python3")]
    public void Any_other_program_after_a_pipe_is_refused(string program)
    {
        var ex = Assert.Throws<PipeProgramRefusedException>(() => CommandGuard.Check($"az storage container list | grep a | {program} x", Canonicals.DefaultPipeAllowList));

        Assert.Equal(program, ex.Program);
        Assert.Equal("pipe_refused", ex.Reason);
    }
}
