namespace UpmDurable.Core.Execution;

/// <summary>The lexer of <see cref="JqFilterGuard"/>: names, fields, variables, formats, strings (with interpolations), numbers, punctuation.</summary>
internal static class JqTokenizer
{
    /// <summary>Splits <paramref name="s"/> from <paramref name="i"/> into tokens; answers the refused word, its offset and why, or null.</summary>
    public static (string, int, string)? Tokenize(string s, ref int i, List<JqToken> tokens, bool inInterpolation)
    {
        int depth = 0;
        while (i < s.Length)
        {
            char c = s[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '#')
            {
                while (i < s.Length && s[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '"')
            {
                int open = i++;
                while (true)
                {
                    if (i >= s.Length)
                    {
                        return ("\"", open, "unterminated string");
                    }

                    if (s[i] == '"')
                    {
                        i++;
                        break;
                    }

                    if (s[i] == '\\' && i + 1 < s.Length && s[i + 1] == '(')
                    {
                        // Interpolation: the code up to the matching ')' is tokenized like the rest of the filter.
                        tokens.Add(new JqToken(JqTokenKind.Punct, "(", i + 1));
                        i += 2;
                        if (Tokenize(s, ref i, tokens, inInterpolation: true) is { } bad)
                        {
                            return bad;
                        }

                        if (i >= s.Length)
                        {
                            return ("\\(", open, "unterminated interpolation");
                        }

                        tokens.Add(new JqToken(JqTokenKind.Punct, ")", i));
                        i++;
                        continue;
                    }

                    i += s[i] == '\\' ? 2 : 1;
                }

                tokens.Add(new JqToken(JqTokenKind.Str, "\"", open));
            }
            else if (c == '$' || c == '@')
            {
                int start = i++;
                string name = ReadName(s, ref i);
                if (name.Length == 0)
                {
                    return (c.ToString(), start, c == '$' ? "'$' must start a variable name" : "'@' must start a format name");
                }

                tokens.Add(new JqToken(c == '$' ? JqTokenKind.Var : JqTokenKind.Format, name, start));
            }
            else if (c == '.' && i + 1 < s.Length && (char.IsAsciiLetter(s[i + 1]) || s[i + 1] == '_'))
            {
                int start = i++;
                tokens.Add(new JqToken(JqTokenKind.Field, ReadName(s, ref i), start));
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1])))
            {
                int start = i;
                while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
                {
                    i++;
                }

                if (i < s.Length && s[i] is 'e' or 'E')
                {
                    i++;
                    if (i < s.Length && s[i] is '+' or '-')
                    {
                        i++;
                    }

                    while (i < s.Length && char.IsAsciiDigit(s[i]))
                    {
                        i++;
                    }
                }

                tokens.Add(new JqToken(JqTokenKind.Num, s[start..i], start));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                int start = i;
                string name = ReadName(s, ref i);
                if (i + 1 < s.Length && s[i] == ':' && s[i + 1] == ':')
                {
                    return (name + "::", start, "module references are not allowed");
                }

                tokens.Add(new JqToken(JqTokenKind.Name, name, start));
            }
            else
            {
                if (inInterpolation && c == ')' && depth == 0)
                {
                    return null;
                }

                depth += c switch { '(' => 1, ')' => -1, _ => 0 };
                tokens.Add(new JqToken(JqTokenKind.Punct, c.ToString(), i));
                i++;
            }
        }

        return null;
    }

    static string ReadName(string s, ref int i)
    {
        int start = i;
        while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] == '_'))
        {
            i++;
        }

        return s[start..i];
    }
}
