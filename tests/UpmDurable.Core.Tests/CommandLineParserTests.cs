using UpmDurable.Core.Execution;
using Xunit;

namespace UpmDurable.Core.Tests;

public sealed class CommandLineParserTests
{
    [Theory]
    [InlineData("echo a; echo b", ";", 6)]
    [InlineData("echo a && echo b", "&&", 7)]
    [InlineData("echo a || echo b", "||", 7)]
    [InlineData("echo a\\b", "\\", 6)]
    [InlineData("echo $(id)", "$(", 5)]
    [InlineData("echo `id`", "`", 5)]
    [InlineData("cat < /etc/passwd", "<", 4)]
    [InlineData("echo a > out", ">", 7)]
    [InlineData("echo a >> out", ">>", 7)]
    [InlineData("echo a\necho b", "\n", 6)]
    [InlineData("echo a\recho b", "\r", 6)]
    [InlineData("sleep 1 & echo b", "&", 8)]
    [InlineData("echo a |& grep a", "|&", 7)]
    [InlineData("echo ok | grep o; rm x", ";", 16)]
    public void Each_shell_meta_is_refused_with_its_position(string command, string meta, int position)
    {
        ShellMetaRefusedException ex = Assert.Throws<ShellMetaRefusedException>(() => CommandLineParser.Parse(command));

        Assert.Equal(meta, ex.Meta);
        Assert.Equal(position, ex.Position);
        Assert.Equal("meta_blocked", ex.Reason);
        Assert.Contains($"position {position}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("echo \"a;b\"", ";", 7)]
    [InlineData("echo \"$(id)\"", "$(", 6)]
    [InlineData("echo \"`id`\"", "`", 6)]
    [InlineData("echo \"a\\nb\"", "\\", 7)]
    [InlineData("echo \"a > b\"", ">", 8)]
    public void Metas_inside_double_quotes_are_refused(string command, string meta, int position)
    {
        ShellMetaRefusedException ex = Assert.Throws<ShellMetaRefusedException>(() => CommandLineParser.Parse(command));

        Assert.Equal(meta, ex.Meta);
        Assert.Equal(position, ex.Position);
    }

    [Fact]
    public void Metas_inside_single_quotes_are_literal_by_default()
    {
        ParsedCommandLine parsed = CommandLineParser.Parse("jq '.items[] | select(.n > 1) && $(x); `y` \\n'");

        CommandSegment segment = Assert.Single(parsed.Segments);
        Assert.Equal(["jq", ".items[] | select(.n > 1) && $(x); `y` \\n"], segment.Argv);
    }

    [Fact]
    public void Metas_inside_single_quotes_are_refused_in_strict_mode()
    {
        ShellMetaRefusedException ex = Assert.Throws<ShellMetaRefusedException>(() => CommandLineParser.Parse("echo 'a;b'", QuotedMetaPolicy.RefuseEverywhere));

        Assert.Equal(";", ex.Meta);
        Assert.Equal(7, ex.Position);
    }

    [Fact]
    public void A_newline_is_refused_even_inside_single_quotes()
    {
        ShellMetaRefusedException ex = Assert.Throws<ShellMetaRefusedException>(() => CommandLineParser.Parse("echo 'a\nb'"));

        Assert.Equal("\n", ex.Meta);
        Assert.Equal(7, ex.Position);
        Assert.Contains("newline", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quotes_group_words_and_nothing_is_expanded()
    {
        ParsedCommandLine parsed = CommandLineParser.Parse("az storage container create --name 'my c' --metadata \"k=v w\" --query='a b' '' $HOME * ~");

        Assert.Equal(
            ["az", "storage", "container", "create", "--name", "my c", "--metadata", "k=v w", "--query=a b", "", "$HOME", "*", "~"],
            parsed.Segments[0].Argv);
    }

    [Fact]
    public void Pipes_split_segments_with_positions()
    {
        ParsedCommandLine parsed = CommandLineParser.Parse("printf 'b|a' | sort | head -1");

        Assert.Equal(3, parsed.Segments.Count);
        Assert.Equal(["printf", "b|a"], parsed.Segments[0].Argv);
        Assert.Equal(["sort"], parsed.Segments[1].Argv);
        Assert.Equal(15, parsed.Segments[1].Position);
        Assert.Equal(["head", "-1"], parsed.Segments[2].Argv);
        Assert.Equal(22, parsed.Segments[2].Position);
    }

    [Theory]
    [InlineData("", "empty command")]
    [InlineData("   ", "empty command")]
    [InlineData("echo 'abc", "unclosed single quote")]
    [InlineData("echo \"abc", "unclosed double quote")]
    [InlineData("echo a | | wc", "empty pipeline segment")]
    [InlineData("echo a |", "empty pipeline segment")]
    [InlineData("| wc", "empty pipeline segment")]
    public void Malformed_commands_are_refused_as_syntax(string command, string problem)
    {
        CommandSyntaxException ex = Assert.Throws<CommandSyntaxException>(() => CommandLineParser.Parse(command));

        Assert.StartsWith(problem, ex.Message, StringComparison.Ordinal);
        Assert.Equal("syntax", ex.Reason);
    }
}
