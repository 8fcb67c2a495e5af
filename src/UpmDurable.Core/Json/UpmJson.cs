using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace UpmDurable.Core.Json;

/// <summary>The one set of JSON options for the API, records and evidence: snake_case, as in the spec's provisioning event.</summary>
public static class UpmJson
{
    /// <summary>Options for everything we write and for lenient reads of our own documents.</summary>
    public static readonly JsonSerializerOptions Options = Create(strict: false);

    /// <summary>Options for reading client requests: unknown fields are refused so typos never pass silently.</summary>
    public static readonly JsonSerializerOptions StrictRequest = Create(strict: true);

    static JsonSerializerOptions Create(bool strict)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            MaxDepth = 32,
            AllowTrailingCommas = false,
            ReadCommentHandling = JsonCommentHandling.Disallow,
            NumberHandling = JsonNumberHandling.Strict,
            UnmappedMemberHandling = strict ? JsonUnmappedMemberHandling.Disallow : JsonUnmappedMemberHandling.Skip,

            // A request naming a field twice is ambiguous (which one did the client's validator see?): refused.
            AllowDuplicateProperties = !strict,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Serialises with <see cref="Options"/>.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Deserialises with <see cref="Options"/>.</summary>
    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);
}
