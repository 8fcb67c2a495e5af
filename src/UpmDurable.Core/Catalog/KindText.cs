using System.Globalization;
using System.Text;
using System.Text.Json;
using UpmDurable.Core.Model;

namespace UpmDurable.Core.Catalog;

/// <summary>What the kind files share: pinned tool names, property tables and how properties become command flags.</summary>
public static class KindText
{
    public const string Az = "az";
    public const string Kubectl = "kubectl-1.29";

    public static JsonElement? NoDefault => null;

    /// <summary>A JSON value as command text.</summary>
    public static string Render(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    /// <summary><c> --location X</c> when the resource has a location.</summary>
    public static string Loc(ResourceSpec r) => r.Location is null ? string.Empty : $" --location {r.Location}";

    /// <summary>Properties as flags in a fixed (ordinal) order, so the same resource always yields the same command.</summary>
    public static string Flags(ResourceSpec r)
    {
        if (r.Properties is null)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (var (name, value) in r.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (name == "vnet_name" && r.Type == "az_subnet")
            {
                text.Append(CultureInfo.InvariantCulture, $" --vnet-name {Render(value)}");
                continue;
            }

            text.Append(CultureInfo.InvariantCulture, $" --{name.Replace('_', '-')}{(value.ValueKind == JsonValueKind.String && name == "from_literal" ? "=" : " ")}{Render(value)}");
        }

        return text.ToString();
    }

    /// <summary>A property table: allowed names and their defaults (null: optional without default).</summary>
    public static Dictionary<string, JsonElement?> Props(params (string Name, JsonElement? Default)[] props) =>
        props.ToDictionary(p => p.Name, p => p.Default, StringComparer.Ordinal);

    public static JsonElement? Str(string value) => JsonSerializer.SerializeToElement(value);

    public static JsonElement? Num(int value) => JsonSerializer.SerializeToElement(value);
}
