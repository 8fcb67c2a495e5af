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

    // Each with arguments from its allow-list (PipeStageGuard): a stage reads standard input, so "wc x" (a FILE) is refused.
    [Theory]
    [InlineData("grep", "x")]
    [InlineData("jq", ".")]
    [InlineData("wc", "-l")]
    [InlineData("head", "-n 5")]
    [InlineData("tail", "-n +2")]
    [InlineData("cut", "-d, -f1")]
    [InlineData("sort", "-k2,2n -t,")]
    [InlineData("uniq", "-c")]
    public void Each_spec_program_is_allowed_after_a_pipe(string program, string arguments)
    {
        ParsedCommandLine parsed = CommandGuard.Check($"az storage container list --output json | {program} {arguments}", Canonicals.DefaultPipeAllowList);

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
