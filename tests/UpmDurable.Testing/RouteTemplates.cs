using System.Text.RegularExpressions;

namespace UpmDurable.Testing;

/// <summary>Route templates as the hosts write them, turned into the concrete paths of the route catalog.</summary>
public static partial class RouteTemplates
{
    /// <summary>
    /// "/api/changes/{id}/{action:regex(^(pause|resume)$)}" → "/api/changes/{id}/pause", "/api/changes/{id}/resume";
    /// other constraints are dropped ("{id:int}" → "{id}"); the result always starts with one "/".
    /// </summary>
    public static IEnumerable<string> Expand(string template)
    {
        string path = "/" + template.Trim().TrimStart('/');
        Match alternatives = RegexAlternatives().Match(path);
        if (alternatives.Success)
        {
            return alternatives.Groups["alts"].Value.Split('|')
                .SelectMany(alt => Expand(path[..alternatives.Index] + alt + path[(alternatives.Index + alternatives.Length)..]));
        }

        return [Constraint().Replace(path, "{${name}}")];
    }

    [GeneratedRegex(@"\{\w+:regex\(\^\((?<alts>[\w|-]+)\)\$\)\}")]
    private static partial Regex RegexAlternatives();

    [GeneratedRegex(@"\{(?<name>\w+)(:[^}]*)?\}")]
    private static partial Regex Constraint();
}
