using System.Text.Json;
using System.Text.Json.Nodes;

namespace UpmDurable.Cli;

/// <summary>
/// Where the service is and which key to use. Each from the first that has it: the flag (<c>--endpoint</c>, <c>--key</c>),
/// the environment (<c>UPM_ENDPOINT</c> — or the older <c>UPM_URL</c> — and <c>UPM_API_KEY</c>), the config file
/// (<c>UPM_CONFIG</c>, else <c>$XDG_CONFIG_HOME/upm/config.json</c>, else <c>~/.config/upm/config.json</c>:
/// <c>{"endpoint": "...", "api_key": "..."}</c>), then the default endpoint <c>http://127.0.0.1:7071</c>.
/// </summary>
internal sealed record CliSettings(Uri Endpoint, string? ApiKey, string? ConfigFile)
{
    public const string DefaultEndpoint = "http://127.0.0.1:7071";

    public static CliSettings Resolve(string? endpointFlag, string? keyFlag, Func<string, string?> environment)
    {
        string? configPath = ConfigPath(environment);
        JsonObject? config = configPath is not null && File.Exists(configPath) ? ReadConfig(configPath) : null;
        string endpoint = First(endpointFlag, environment("UPM_ENDPOINT"), environment("UPM_URL"), Text(config, "endpoint")) ?? DefaultEndpoint;
        string? key = First(keyFlag, environment("UPM_API_KEY"), Text(config, "api_key"));
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new CliUsageException($"endpoint '{endpoint}' is not an http(s) URL");
        }

        return new CliSettings(uri, key, config is null ? null : configPath);
    }

    static string? ConfigPath(Func<string, string?> environment)
    {
        if (First(environment("UPM_CONFIG")) is { } explicitPath)
        {
            return explicitPath;
        }

        string? configHome = First(environment("XDG_CONFIG_HOME"));
        string? home = First(environment("HOME"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
        return configHome is not null ? Path.Combine(configHome, "upm", "config.json")
            : home is not null ? Path.Combine(home, ".config", "upm", "config.json")
            : null;
    }

    static JsonObject ReadConfig(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new CliUsageException($"{path}: the config file must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw new CliUsageException($"{path}:{(ex.LineNumber ?? 0) + 1}: invalid JSON in the config file");
        }
        catch (IOException ex)
        {
            throw new CliUsageException($"{path}: cannot read the config file: {ex.Message}");
        }
    }

    static string? Text(JsonObject? config, string name) => config?[name] is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    static string? First(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
