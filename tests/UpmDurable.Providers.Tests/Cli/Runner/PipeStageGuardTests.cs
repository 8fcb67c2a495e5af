using UpmDurable.Core.Execution;
using UpmDurable.Providers.Cli.Runner;
using UpmDurable.Core.Model;
using Xunit;

namespace UpmDurable.Providers.Tests.Cli.Runner;

/// <summary>The argument allow-list of every pipe program: abuse payloads (the incident's among them) refused naming stage, argument and position; useful forms allowed.</summary>
public sealed class PipeStageGuardTests : IDisposable
{
    readonly FakeTools _tools = new();

    public void Dispose() => _tools.Dispose();

    static ArgumentRefusedException Refused(string line) =>
        Assert.Throws<ArgumentRefusedException>(() => CommandGuard.Check(line, Canonicals.DefaultPipeAllowList));

    [Theory]
    [InlineData("az version | jq -n -r 'range(0;20000) | \"touch /tmp/marker\"' | sort -S 64K --compress-program=sh", 3, "sort", "-S", 68)]
    [InlineData("az storage container list --output json | sort -S 64K --compress-program=sh", 2, "sort", "-S", 47)]
    [InlineData("az storage container list --output json | sort --compress-program=sh", 2, "sort", "--compress-program", 47)]
    [InlineData("az storage container list --output json | sort --compress=sh", 2, "sort", "--compress", 47)]
    [InlineData("az storage container list --output json | head -c 100 /etc/passwd", 2, "head", "/etc/passwd", 54)]
    [InlineData("az storage container list --output json | jq -n env", 2, "jq", "env", 48)]
    [InlineData("az storage container list --output json | jq -n '$ENV'", 2, "jq", "$ENV", 49)]
    [InlineData("az storage container list --output json | jq --rawfile a /etc/passwd .", 2, "jq", "--rawfile", 45)]
    [InlineData("az storage container list --output json | sort -o /tmp/x", 2, "sort", "-o", 47)]
    [InlineData("az storage container list --output json | uniq - /tmp/x", 2, "uniq", "-", 47)]
    [InlineData("az storage container list --output json | grep -r x /", 2, "grep", "-r", 47)]
    [InlineData("az storage container list --output json | jq 'input_filename'", 2, "jq", "input_filename", 46)]
    [InlineData("az storage container list --output json | jq '$__loc__'", 2, "jq", "$__loc__", 46)]
    [InlineData("az storage container list --output json | jq 'import \"a\" as a; .'", 2, "jq", "import", 46)]
    [InlineData("az storage container list --output json | jq -L /tmp .", 2, "jq", "-L", 45)]
    [InlineData("az storage container list --output json | sort -T /tmp", 2, "sort", "-T", 47)]
    [InlineData("az storage container list --output json | sort --files0-from=/tmp/list", 2, "sort", "--files0-from", 47)]
    [InlineData("az storage container list --output json | wc --files0-from=/tmp/list", 2, "wc", "--files0-from", 45)]
    [InlineData("az storage container list --output json | grep -f /etc/passwd", 2, "grep", "-f", 47)]
    [InlineData("az storage container list --output json | grep --file=/etc/passwd", 2, "grep", "--file", 47)]
    [InlineData("az storage container list --output json | grep -R x", 2, "grep", "-R", 47)]
    [InlineData("az storage container list --output json | grep --include=*.conf x", 2, "grep", "--include", 47)]
    [InlineData("az storage container list --output json | grep -d recurse x", 2, "grep", "-d", 47)]
    [InlineData("az storage container list --output json | grep -rn x", 2, "grep", "-r", 47)]
    [InlineData("az storage container list --output json | grep -nr x", 2, "grep", "-r", 49)]
    [InlineData("az storage container list --output json | grep x /etc/passwd", 2, "grep", "/etc/passwd", 49)]
    [InlineData("az storage container list --output json | grep -e x /etc/shadow", 2, "grep", "/etc/shadow", 52)]
    [InlineData("az storage container list --output json | grep -- -x /etc/passwd", 2, "grep", "/etc/passwd", 53)]
    [InlineData("az storage container list --output json | grep --colour=always x", 2, "grep", "--colour", 47)]
    [InlineData("az storage container list --output json | grep --color=always x", 2, "grep", "always", 55)]
    [InlineData("az storage container list --output json | grep -P '(a+)+b' x", 2, "grep", "-P", 47)]
    [InlineData("az storage container list --output json | grep -m 1e9 x", 2, "grep", "1e9", 50)]
    [InlineData("az storage container list --output json | grep --color never x", 2, "grep", "--color", 47)]
    [InlineData("az storage container list --output json | grep -i", 2, "grep", "grep", 42)]
    [InlineData("az storage container list --output json | jq --slurpfile a /etc/passwd .", 2, "jq", "--slurpfile", 45)]
    [InlineData("az storage container list --output json | jq -f /tmp/prog.jq", 2, "jq", "-f", 45)]
    [InlineData("az storage container list --output json | jq --from-file /tmp/p", 2, "jq", "--from-file", 45)]
    [InlineData("az storage container list --output json | jq . /etc/passwd", 2, "jq", "/etc/passwd", 47)]
    [InlineData("az storage container list --output json | jq -nr env", 2, "jq", "env", 49)]
    [InlineData("az storage container list --output json | jq -R .", 2, "jq", "-R", 45)]
    [InlineData("az storage container list --output json | jq --args . a", 2, "jq", "--args", 45)]
    [InlineData("az storage container list --output json | jq '\"\\(env.HOME)\"'", 2, "jq", "env", 49)]
    [InlineData("az storage container list --output json | jq inputs", 2, "jq", "inputs", 45)]
    [InlineData("az storage container list --output json | jq -n 'input'", 2, "jq", "input", 49)]
    [InlineData("az storage container list --output json | jq get_search_list", 2, "jq", "get_search_list", 45)]
    [InlineData("az storage container list --output json | jq '$__prog_args'", 2, "jq", "$__prog_args", 46)]
    [InlineData("az storage container list --output json | jq --arg ENV x '$ENV'", 2, "jq", "ENV", 51)]
    [InlineData("az storage container list --output json | jq --indent 9 .", 2, "jq", "9", 54)]
    [InlineData("az storage container list --output json | jq -- .", 2, "jq", "--", 45)]
    [InlineData("az storage container list --output json | jq -C .", 2, "jq", "-C", 45)]
    [InlineData("az storage container list --output json | head -n 5x", 2, "head", "5x", 50)]
    [InlineData("az storage container list --output json | head -n5K", 2, "head", "5K", 49)]
    [InlineData("az storage container list --output json | head --bytes=1 /etc/shadow", 2, "head", "/etc/shadow", 57)]
    [InlineData("az storage container list --output json | head -1 /etc/passwd", 2, "head", "/etc/passwd", 50)]
    [InlineData("az storage container list --output json | tail -f /var/log/syslog", 2, "tail", "-f", 47)]
    [InlineData("az storage container list --output json | tail --follow=name", 2, "tail", "--follow", 47)]
    [InlineData("az storage container list --output json | tail --pid=1", 2, "tail", "--pid", 47)]
    [InlineData("az storage container list --output json | tail +2", 2, "tail", "+2", 47)]
    [InlineData("az storage container list --output json | cut -f1 /etc/passwd", 2, "cut", "/etc/passwd", 50)]
    [InlineData("az storage container list --output json | cut -d ab -f1", 2, "cut", "ab", 49)]
    [InlineData("az storage container list --output json | cut -f x", 2, "cut", "x", 49)]
    [InlineData("az storage container list --output json | cut -z -f1", 2, "cut", "-z", 46)]
    [InlineData("az storage container list --output json | sort --random-source=/dev/urandom", 2, "sort", "--random-source", 47)]
    [InlineData("az storage container list --output json | sort -k2,2z", 2, "sort", "2,2z", 49)]
    [InlineData("az storage container list --output json | sort -m /tmp/a /tmp/b", 2, "sort", "-m", 47)]
    [InlineData("az storage container list --output json | sort --output=/tmp/x", 2, "sort", "--output", 47)]
    [InlineData("az storage container list --output json | sort --parallel=64", 2, "sort", "--parallel", 47)]
    [InlineData("az storage container list --output json | sort -rz", 2, "sort", "-z", 49)]
    [InlineData("az storage container list --output json | sort -- /etc/passwd", 2, "sort", "--", 47)]
    [InlineData("az storage container list --output json | uniq /tmp/in /tmp/out", 2, "uniq", "/tmp/in", 47)]
    [InlineData("az storage container list --output json | uniq -D", 2, "uniq", "-D", 47)]
    [InlineData("az storage container list --output json | uniq -f x", 2, "uniq", "x", 50)]
    [InlineData("az storage container list --output json | uniq --all-repeated=separate", 2, "uniq", "--all-repeated", 47)]
    [InlineData("az storage container list --output json | wc -l /etc/shadow", 2, "wc", "/etc/shadow", 48)]
    [InlineData("az storage container list --output json | wc --lines=5", 2, "wc", "--lines=5", 45)]
    [InlineData("az storage container list --output json | grep a | wc -l | sort -o /tmp/x", 4, "sort", "-o", 64)]
    public void An_argument_outside_the_programs_allow_list_is_refused_with_stage_argument_and_position(string line, int stage, string program, string argument, int position)
    {
        ArgumentRefusedException ex = Refused(line);

        Assert.Equal("argument_refused", ex.Reason);
        Assert.Equal(stage, ex.Stage);
        Assert.Equal(program, ex.Program);
        Assert.Equal(argument, ex.Argument);
        Assert.Equal(position, ex.Position);
        Assert.Contains($"stage {stage} ({program})", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"position {position}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("az storage container list --output json | jq -r '.[].name' | sort | uniq -c | head -n 5")]
    [InlineData("az storage container list | grep -c x")]
    [InlineData("az storage container list | grep -inE 'log|tmp' --color=never")]
    [InlineData("az storage container list | grep -e -x -m 3 -A 1")]
    [InlineData("az storage container list | grep -- -x")]
    [InlineData("az storage container list | cut -d, -f1")]
    [InlineData("az storage container list | cut -c 1-5,9- --complement --output-delimiter=';'")]
    [InlineData("az storage container list | sort -k2,2n -t,")]
    [InlineData("az storage container list | sort -rnu -k 3 --field-separator=:")]
    [InlineData("az storage container list | sort -nk2")]
    [InlineData("az storage container list | wc -l")]
    [InlineData("az storage container list | wc -lwcmL")]
    [InlineData("az storage container list | tail -n +2")]
    [InlineData("az storage container list | tail -n+2 | head -n -1")]
    [InlineData("az storage container list | head -1 | tail -c 10")]
    [InlineData("az storage container list | uniq -c -f 1 -s2 -w 3")]
    [InlineData("az storage container list | jq -r --arg x y '.[] | select(.name == $x)'")]
    [InlineData("az storage container list | jq -c --argjson n '{\"a\":1}' --indent 2 '$n.a'")]
    [InlineData("az storage container list | jq -n 'range(0;3)'")]
    [InlineData("az storage container list | jq . -S")]
    public void Useful_forms_are_allowed(string line)
    {
        ParsedCommandLine parsed = CommandGuard.Check(line, Canonicals.DefaultPipeAllowList);

        Assert.True(parsed.Segments.Count > 1);
    }

    [Fact]
    public void A_configured_pipe_program_without_an_allow_list_runs_with_no_arguments_only()
    {
        CommandGuard.Check("az version | tac", ["tac"]);
        ArgumentRefusedException ex = Assert.Throws<ArgumentRefusedException>(() => CommandGuard.Check("az version | tac /etc/passwd", ["tac"]));

        Assert.Equal("/etc/passwd", ex.Argument);
        Assert.Equal(17, ex.Position);
    }

    [Fact]
    public void An_unlisted_program_is_reported_as_such_even_when_an_earlier_stage_has_bad_arguments()
    {
        Assert.Throws<PipeProgramRefusedException>(() => CommandGuard.Check("az version | sort -o /tmp/x | bash", Canonicals.DefaultPipeAllowList));
    }

    [Fact]
    public void A_secret_in_a_refused_argument_is_not_echoed()
    {
        ArgumentRefusedException ex = Refused("az version | grep --password=hunter22 x");

        Assert.DoesNotContain("hunter22", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Positions_point_inside_quoted_tokens()
    {
        ArgumentRefusedException ex = Refused("az version | jq '.a | env'");

        Assert.Equal("env", ex.Argument);
        Assert.Equal(22, ex.Position);
    }

    [Fact]
    public async Task The_runner_refuses_the_incident_pipeline_before_any_process_starts()
    {
        string marker = Path.Combine(_tools.Dir, "ran");
        var env = new Dictionary<string, string> { ["MARKER"] = marker };
        var runner = new CommandRunner(_tools.Manifest);

        await Assert.ThrowsAsync<ArgumentRefusedException>(() => runner.RunAsync(new CommandRequest("marker | jq -n -r 'range(0;3) | \"touch x\"' | sort -S 64K --compress-program=sh") { Environment = env }));
        await Assert.ThrowsAsync<ArgumentRefusedException>(() => runner.RunAsync(new CommandRequest("marker | head -c 100 /etc/passwd") { Environment = env }));
        await Assert.ThrowsAsync<ArgumentRefusedException>(() => runner.RunAsync(new CommandRequest("marker | jq -n env") { Environment = env }));
        Assert.False(File.Exists(marker));

        CommandResult allowed = await runner.RunAsync(new CommandRequest("printf 'b\\na\\nb\\n' | sort | uniq -c | sort -rn | head -n 1"));
        Assert.Equal(0, allowed.Rc);
        Assert.Equal("2 b", allowed.Stdout.Trim());
    }
}
