namespace UpmDurable.Core.Execution;

/// <summary>
/// Checks a jq filter by allow-list: every bare name must be a jq keyword, an allowed jq 1.6 builtin or a name the
/// filter defines with <c>def</c> in scope; every <c>$name</c> must be bound (<c>as</c>, <c>--arg</c>/<c>--argjson</c>,
/// a <c>def</c> parameter, <c>label</c>). String interpolation <c>"\(expr)"</c> is code and is checked the same way.
/// </summary>
public static class JqFilterGuard
{
    /// <summary>Keywords that are safe: the control structures and literals of the jq 1.6 grammar (no import/include).</summary>
    public static readonly IReadOnlySet<string> Keywords = new HashSet<string>(
        ["def", "as", "if", "then", "elif", "else", "end", "reduce", "foreach", "try", "catch", "label", "and", "or", "break", "true", "false", "null"],
        StringComparer.Ordinal);

    /// <summary>
    /// jq 1.6's builtins (<c>jq -n 'builtins'</c>) minus those that read the environment, input files or modules, or
    /// write elsewhere than stdout: env, input, inputs, input_filename, input_line_number, get_search_list,
    /// get_prog_origin, get_jq_origin, modulemeta, builtins, debug, stderr, halt, halt_error.
    /// </summary>
    public static readonly IReadOnlySet<string> Builtins = new HashSet<string>(
        [
            "IN", "INDEX", "JOIN", "acos", "acosh", "add", "all", "any", "arrays", "ascii_downcase", "ascii_upcase", "asin", "asinh",
            "atan", "atan2", "atanh", "booleans", "bsearch", "capture", "cbrt", "ceil", "combinations", "contains", "copysign", "cos",
            "cosh", "del", "delpaths", "drem", "empty", "endswith", "erf", "erfc", "error", "exp", "exp10", "exp2", "explode", "expm1",
            "fabs", "fdim", "finites", "first", "flatten", "floor", "fma", "fmax", "fmin", "fmod", "format", "frexp", "from_entries",
            "fromdate", "fromdateiso8601", "fromjson", "fromstream", "gamma", "getpath", "gmtime", "group_by", "gsub", "has", "hypot",
            "implode", "in", "index", "indices", "infinite", "inside", "isempty", "isfinite", "isinfinite", "isnan", "isnormal",
            "iterables", "j0", "j1", "jn", "join", "keys", "keys_unsorted", "last", "ldexp", "leaf_paths", "length", "lgamma",
            "lgamma_r", "limit", "localtime", "log", "log10", "log1p", "log2", "logb", "ltrimstr", "map", "map_values", "match", "max",
            "max_by", "min", "min_by", "mktime", "modf", "nan", "nearbyint", "nextafter", "nexttoward", "normals", "not", "now", "nth",
            "nulls", "numbers", "objects", "path", "paths", "pow", "pow10", "range", "recurse", "recurse_down", "remainder", "repeat",
            "reverse", "rindex", "rint", "round", "rtrimstr", "scalars", "scalars_or_empty", "scalb", "scalbln", "scan", "select",
            "setpath", "significand", "sin", "sinh", "sort", "sort_by", "split", "splits", "sqrt", "startswith", "strflocaltime",
            "strftime", "strings", "strptime", "sub", "tan", "tanh", "test", "tgamma", "to_entries", "todate", "todateiso8601",
            "tojson", "tonumber", "tostream", "tostring", "transpose", "trunc", "truncate_stream", "type", "unique", "unique_by",
            "until", "utf8bytelength", "values", "walk", "while", "with_entries", "y0", "y1", "yn",
        ],
        StringComparer.Ordinal);

    /// <summary>The <c>@format</c> strings of the jq 1.6 manual; they only format the value.</summary>
    public static readonly IReadOnlySet<string> Formats = new HashSet<string>(
        ["text", "json", "csv", "tsv", "html", "uri", "sh", "base64", "base64d", "base32", "base32d"], StringComparer.Ordinal);

    // Refused names a filter may not define either: a def or parameter named like them could leave the builtin in reach
    // where our scoping is coarser than jq's.
    static readonly HashSet<string> RefusedBuiltins = new(
        ["env", "input", "inputs", "input_filename", "input_line_number", "get_search_list", "get_prog_origin", "get_jq_origin",
         "modulemeta", "builtins", "debug", "stderr", "halt", "halt_error", "import", "include", "ENV", "ARGS"],
        StringComparer.Ordinal);

    /// <summary>A name <c>--arg</c>, <c>as $name</c> or <c>def f($name)</c> may bind: an identifier, not <c>ENV</c>, <c>ARGS</c> or <c>__…</c> (jq's globals).</summary>
    public static bool IsBindableName(string name) =>
        name.Length is > 0 and <= 64 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
        && !name.StartsWith("__", StringComparison.Ordinal) && !RefusedBuiltins.Contains(name);

    /// <summary>Checks a filter; returns the refused word, its offset in the filter and why, or null when it is allowed.</summary>
    public static (string Word, int Offset, string Why)? Check(string filter, IReadOnlySet<string> argNames)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(argNames);
        var tokens = new List<JqToken>();
        int i = 0;
        if (JqTokenizer.Tokenize(filter, ref i, tokens, inInterpolation: false) is { } bad)
        {
            return bad;
        }

        return Analyse(tokens, argNames);
    }

    static (string, int, string)? Analyse(List<JqToken> t, IReadOnlySet<string> argNames)
    {
        var scopes = new List<JqScope> { new JqScope("") };
        scopes[0].Vars.UnionWith(argNames);
        bool Visible(Func<JqScope, HashSet<string>> set, string name) => scopes.Any(s => set(s).Contains(name));

        for (int k = 0; k < t.Count; k++)
        {
            JqToken tok = t[k];
            string? prev = k > 0 && t[k - 1].Kind == JqTokenKind.Punct ? t[k - 1].Text : null;
            string? next = k + 1 < t.Count && t[k + 1].Kind == JqTokenKind.Punct ? t[k + 1].Text : null;
            switch (tok.Kind)
            {
                case JqTokenKind.Punct:
                    switch (tok.Text)
                    {
                        case "(": scopes.Add(new(")")); break;
                        case "[": scopes.Add(new("]")); break;
                        case "{": scopes.Add(new("}")); break;
                        case ")" or "]" or "}":
                            // Def bodies and if branches end with their group.
                            while (scopes.Count > 1 && scopes[^1].Close != tok.Text)
                            {
                                scopes.RemoveAt(scopes.Count - 1);
                            }

                            if (scopes.Count == 1)
                            {
                                return (tok.Text, tok.Offset, "unbalanced bracket");
                            }

                            scopes.RemoveAt(scopes.Count - 1);
                            break;
                        case ";":
                            // At the level of a def body, ';' ends the body (inside a call's parentheses it separates arguments).
                            if (scopes[^1].Close == ";")
                            {
                                scopes.RemoveAt(scopes.Count - 1);
                            }

                            break;
                    }

                    break;
                case JqTokenKind.Var:
                    if (!IsBindableName(tok.Text))
                    {
                        return ("$" + tok.Text, tok.Offset, "jq's global variables ($ENV, $__loc__, $ARGS, $__prog_args) are not allowed");
                    }

                    if (!Visible(s => s.Vars, tok.Text))
                    {
                        return ("$" + tok.Text, tok.Offset, "the variable is not bound by 'as', --arg/--argjson or a def parameter");
                    }

                    break;
                case JqTokenKind.Format:
                    if (!Formats.Contains(tok.Text))
                    {
                        return ("@" + tok.Text, tok.Offset, $"not an allowed format (allowed: @{string.Join(" @", Formats)})");
                    }

                    break;
                case JqTokenKind.Field or JqTokenKind.Str or JqTokenKind.Num:
                    break;
                case JqTokenKind.Name when tok.Text == "def":
                    if (k + 1 >= t.Count || t[k + 1].Kind != JqTokenKind.Name || !IsBindableName(t[k + 1].Text) || Keywords.Contains(t[k + 1].Text))
                    {
                        return ("def", tok.Offset, "def must name a new function (not a refused builtin or keyword)");
                    }

                    scopes[^1].Names.Add(t[k + 1].Text);
                    var body = new JqScope(";");
                    body.Names.Add(t[k + 1].Text);
                    k += 2;
                    if (k < t.Count && t[k] is { Kind: JqTokenKind.Punct, Text: "(" })
                    {
                        for (k++; k < t.Count && t[k] is not { Kind: JqTokenKind.Punct, Text: ")" }; k++)
                        {
                            JqToken p = t[k];
                            if (p is { Kind: JqTokenKind.Punct, Text: ";" })
                            {
                                continue;
                            }

                            if (p.Kind is not (JqTokenKind.Name or JqTokenKind.Var) || !IsBindableName(p.Text) || Keywords.Contains(p.Text))
                            {
                                return ((p.Kind == JqTokenKind.Var ? "$" : "") + p.Text, p.Offset, "a def parameter must be a new name or $name (not a refused builtin, keyword or jq global)");
                            }

                            // def f($a) binds both $a and the filter a.
                            body.Names.Add(p.Text);
                            if (p.Kind == JqTokenKind.Var)
                            {
                                body.Vars.Add(p.Text);
                            }
                        }

                        k++;
                    }

                    if (k >= t.Count || t[k] is not { Kind: JqTokenKind.Punct, Text: ":" })
                    {
                        return ("def", tok.Offset, "expected ':' after the def's name and parameters");
                    }

                    scopes.Add(body);
                    break;
                case JqTokenKind.Name when tok.Text is "as" or "label":
                    // Every $name of the pattern (up to '|' or a reduce/foreach '(' at the same depth) is bound; over the rest
                    // of the enclosing group, which is at least jq's scope — harmless, since no global can be bound.
                    int depth = 0;
                    for (k++; k < t.Count; k++)
                    {
                        JqToken p = t[k];
                        if (p.Kind == JqTokenKind.Punct)
                        {
                            if (depth == 0 && p.Text is "|" or "(" or ")" or ";")
                            {
                                k--;
                                break;
                            }

                            depth += p.Text is "[" or "{" or "(" ? 1 : p.Text is "]" or "}" or ")" ? -1 : 0;
                        }
                        else if (p.Kind == JqTokenKind.Var)
                        {
                            if (!IsBindableName(p.Text))
                            {
                                return ("$" + p.Text, p.Offset, "jq's global variables ($ENV, $__loc__, $ARGS) cannot be bound");
                            }

                            scopes[^1].Vars.Add(p.Text);
                        }
                        else if (p.Kind == JqTokenKind.Name && !IsObjectKey(t, k) && !Keywords.Contains(p.Text) && !Builtins.Contains(p.Text) && !Visible(s => s.Names, p.Text))
                        {
                            return (p.Text, p.Offset, NotAllowedName);
                        }
                    }

                    break;
                case JqTokenKind.Name when tok.Text is "if" or "then" or "elif" or "else" or "end":
                    // Each branch is a scope of its own (a def inside a branch ends with it).
                    if (tok.Text != "if")
                    {
                        while (scopes.Count > 1 && scopes[^1].Close != "end")
                        {
                            scopes.RemoveAt(scopes.Count - 1);
                        }

                        if (scopes.Count > 1)
                        {
                            scopes.RemoveAt(scopes.Count - 1);
                        }
                    }

                    if (tok.Text != "end")
                    {
                        scopes.Add(new("end"));
                    }

                    break;
                case JqTokenKind.Name:
                    if (prev is "{" or "," && next is ":" or "," or "}" && IsObjectKey(t, k))
                    {
                        break; // {name: …} is a key, {name} is .name
                    }

                    if (Keywords.Contains(tok.Text) || Builtins.Contains(tok.Text) || Visible(s => s.Names, tok.Text))
                    {
                        break;
                    }

                    return (tok.Text, tok.Offset, NotAllowedName);
            }
        }

        return null;
    }

    const string NotAllowedName = "not an allowed jq builtin, keyword or def in scope (env, input, inputs, input_filename, $__loc__, modules and the like are refused)";

    /// <summary>Whether name token <paramref name="k"/> is an object key: directly inside <c>{</c>, after <c>{</c> or <c>,</c>.</summary>
    static bool IsObjectKey(List<JqToken> t, int k)
    {
        if (k == 0 || t[k - 1] is not { Kind: JqTokenKind.Punct, Text: "{" or "," })
        {
            return false;
        }

        if (k + 1 >= t.Count || t[k + 1] is not { Kind: JqTokenKind.Punct, Text: ":" or "," or "}" })
        {
            return false;
        }

        // The innermost open bracket before the name must be '{'.
        int depth = 0;
        for (int j = k - 1; j >= 0; j--)
        {
            if (t[j].Kind != JqTokenKind.Punct)
            {
                continue;
            }

            switch (t[j].Text)
            {
                case ")" or "]" or "}": depth++; break;
                case "(" or "[" when depth == 0: return false;
                case "{" when depth == 0: return true;
                case "(" or "[" or "{": depth--; break;
            }
        }

        return false;
    }
}
