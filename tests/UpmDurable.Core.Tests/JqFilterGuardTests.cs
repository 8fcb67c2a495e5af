using UpmDurable.Core.Execution;
using UpmDurable.Core.Model;
using Xunit;

namespace UpmDurable.Core.Tests;

/// <summary>jq filters by allow-list: builtins, keywords, defs in scope and bound variables only, interpolated code included.</summary>
public sealed class JqFilterGuardTests
{
    static readonly HashSet<string> NoArgs = new(StringComparer.Ordinal);

    [Theory]
    [InlineData("env", "env", 0)]
    [InlineData("$ENV", "$ENV", 0)]
    [InlineData("input", "input", 0)]
    [InlineData("inputs", "inputs", 0)]
    [InlineData("input_filename", "input_filename", 0)]
    [InlineData("input_line_number", "input_line_number", 0)]
    [InlineData("$__loc__", "$__loc__", 0)]
    [InlineData("get_search_list", "get_search_list", 0)]
    [InlineData("get_prog_origin", "get_prog_origin", 0)]
    [InlineData("get_jq_origin", "get_jq_origin", 0)]
    [InlineData("modulemeta", "modulemeta", 0)]
    [InlineData("builtins", "builtins", 0)]
    [InlineData("debug", "debug", 0)]
    [InlineData("stderr", "stderr", 0)]
    [InlineData("halt_error", "halt_error", 0)]
    [InlineData("import \"a\" as a; .", "import", 0)]
    [InlineData("include \"a\"; .", "include", 0)]
    [InlineData("a::b", "a::", 0)]
    [InlineData("\"\\(env)\"", "env", 3)]
    [InlineData("\"x\\(\"\\(input)\")\"", "input", 7)]
    [InlineData("def f: env; f", "env", 7)]
    [InlineData("def env: 1; env", "def", 0)]
    [InlineData("def f(env): 1; f(.)", "env", 6)]
    [InlineData("def f($ENV): 1; f(.)", "$ENV", 6)]
    [InlineData("(def g: 1; g), g", "g", 15)]
    [InlineData("if . then (def x: 1; x) else x end", "x", 29)]
    [InlineData("$x", "$x", 0)]
    [InlineData(". as [$a] | $b", "$b", 12)]
    [InlineData("{a: env}", "env", 4)]
    [InlineData("[env]", "env", 1)]
    [InlineData(".a | env", "env", 5)]
    [InlineData("$__prog_args", "$__prog_args", 0)]
    [InlineData("{$ENV}", "$ENV", 1)]
    [InlineData(". as {a: $ENV} | 1", "$ENV", 9)]
    [InlineData("@foo", "@foo", 0)]
    [InlineData("env.HOME", "env", 0)]
    [InlineData(".a as $x | $ENV.PATH", "$ENV", 11)]
    [InlineData("reduce inputs as $i (0; .+$i)", "inputs", 7)]
    public void A_refused_name_is_reported_with_its_offset_in_the_filter(string filter, string word, int offset)
    {
        var refusal = JqFilterGuard.Check(filter, NoArgs);

        Assert.NotNull(refusal);
        Assert.Equal(word, refusal.Value.Word);
        Assert.Equal(offset, refusal.Value.Offset);
    }

    [Theory]
    [InlineData("select(.n > 1)")]
    [InlineData("map(.name)")]
    [InlineData("def f: .; f")]
    [InlineData("\"\\(.name)\"")]
    [InlineData("reduce .[] as $i (0; . + $i)")]
    [InlineData(".[] | {name, size: .properties.size, env}")]
    [InlineData("to_entries | map(\"\\(.key)=\\(.value)\") | join(\",\")")]
    [InlineData("@base64 \"x\\(.a)\"")]
    [InlineData("@csv, @tsv, @json, @text, @html, @uri, @sh, @base64d")]
    [InlineData(".[] as [$a, $b] | $a + $b")]
    [InlineData(". as {a: $x, $y} | $x + $y")]
    [InlineData("def addv($v): . + $v + v; addv(1)")]
    [InlineData("def twice(f): f | f; twice(. * 2)")]
    [InlineData("if .a then .b elif .c then .d else empty end")]
    [InlineData("try error(\"x\") catch .")]
    [InlineData("label $out | foreach .[] as $i (0; . + $i; if . > 3 then ., break $out else . end)")]
    [InlineData(". # a comment naming env")]
    [InlineData("path(..) | length")]
    [InlineData(".a?.b // \"none\"")]
    [InlineData("[.[] | select(.name | test(\"^log\"))] | length")]
    [InlineData("{(.k): .v, \"s\": 1, a: 2}")]
    [InlineData("1.5e3 + .5 + 2 | tostring | ascii_downcase")]
    [InlineData(".env | .input | .[\"$ENV\"]")]
    [InlineData("def f: def g: 3; g; f")]
    [InlineData("true and (false or null == null) | not")]
    public void Useful_filters_are_allowed(string filter)
    {
        Assert.Null(JqFilterGuard.Check(filter, NoArgs));
    }

    [Fact]
    public void Arg_and_argjson_names_are_bound_and_their_variables_usable()
    {
        CommandGuard.Check("az version | jq --arg x y --argjson n 3 '.[] | select(.name == $x) | . + $n'", Canonicals.DefaultPipeAllowList);
        var ex = Assert.Throws<ArgumentRefusedException>(() => CommandGuard.Check("az version | jq --arg x y '$z'", Canonicals.DefaultPipeAllowList));

        Assert.Equal("$z", ex.Argument);
        Assert.Equal(27, ex.Position);
    }

    [Fact]
    public void Every_jq_1_6_builtin_is_either_allowed_or_refused_on_purpose()
    {
        // jq -n 'builtins' on Debian bookworm's jq 1.6, names only.
        string[] refused = ["env", "input", "inputs", "input_filename", "input_line_number", "get_search_list", "get_prog_origin", "get_jq_origin", "modulemeta", "builtins", "debug", "stderr", "halt", "halt_error"];

        Assert.Empty(JqFilterGuard.Builtins.Intersect(refused));
        foreach (string name in refused)
        {
            Assert.NotNull(JqFilterGuard.Check(name, NoArgs));
        }
    }
}
