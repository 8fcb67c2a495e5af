using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace UpmDurable.Core.Json;

/// <summary>Canonical JSON (sorted keys, no whitespace, normalised numbers and strings) and its SHA-256, so equal content hashes equally.</summary>
public static class CanonicalJson
{
    /// <summary>Canonical UTF-8 bytes of a value serialised with <see cref="UpmJson.Options"/>.</summary>
    public static byte[] ToBytes<T>(T value)
    {
        // Fast path: serialise with properties in ordinal order; when the result is already canonical (keys sorted,
        // NFC strings, integer numbers — true of plans and records), those bytes are the canonical form.
        byte[] sorted = JsonSerializer.SerializeToUtf8Bytes(value, SortedOptions);
        return IsCanonical(sorted) ? sorted : ToBytes(JsonSerializer.SerializeToElement(value, UpmJson.Options));
    }

    static readonly JsonSerializerOptions SortedOptions = CreateSortedOptions();

    static JsonSerializerOptions CreateSortedOptions()
    {
        var options = new JsonSerializerOptions(UpmJson.Options)
        {
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver
            {
                Modifiers =
                {
                    info =>
                    {
                        if (info.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object)
                        {
                            int order = 0;
                            foreach (var property in info.Properties.OrderBy(p => p.Name, StringComparer.Ordinal).ToList())
                            {
                                property.Order = order++;
                            }
                        }
                    },
                },
            },
        };
        options.MakeReadOnly();
        return options;
    }

    // True when the JSON is exactly what the canonical writer would produce: every object's keys in strictly increasing
    // ordinal order, every string and key in Unicode NFC, every number an integer literal.
    static bool IsCanonical(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var lastKey = new Stack<string?>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    lastKey.Push(null);
                    break;
                case JsonTokenType.EndObject:
                    lastKey.Pop();
                    break;
                case JsonTokenType.PropertyName:
                    string name = reader.GetString()!;
                    string? previous = lastKey.Pop();
                    if (!name.IsNormalized(NormalizationForm.FormC) || (previous is not null && string.CompareOrdinal(previous, name) >= 0))
                    {
                        return false;
                    }

                    lastKey.Push(name);
                    break;
                case JsonTokenType.String:
                    if (!reader.GetString()!.IsNormalized(NormalizationForm.FormC))
                    {
                        return false;
                    }

                    break;
                case JsonTokenType.Number:
                    if (reader.ValueSpan.IndexOfAny((byte)'.', (byte)'e', (byte)'E') >= 0 || !reader.TryGetInt64(out _) || reader.ValueSpan.SequenceEqual("-0"u8))
                    {
                        return false;
                    }

                    break;
            }
        }

        return true;
    }

    /// <summary>Canonical UTF-8 bytes of a JSON element.</summary>
    public static byte[] ToBytes(JsonElement node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, node);
        }

        return buffer.ToArray();
    }

    /// <summary>Canonical JSON text of a value.</summary>
    public static string ToText<T>(T value) => Encoding.UTF8.GetString(ToBytes(value));

    /// <summary><c>sha256:</c> followed by the lower-case hex SHA-256 of the canonical form of a value.</summary>
    public static string Hash<T>(T value) => Sha256(ToBytes(value));

    /// <summary><c>sha256:</c> followed by the lower-case hex SHA-256 of some bytes.</summary>
    public static string Sha256(ReadOnlySpan<byte> bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (JsonProperty property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name.Normalize(NormalizationForm.FormC));
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (JsonElement child in element.EnumerateArray())
                {
                    Write(writer, child);
                }

                writer.WriteEndArray();
                break;
            default:
                WriteValue(writer, element);
                break;
        }
    }

    static void WriteValue(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString()!.Normalize(NormalizationForm.FormC));
                break;
            case JsonValueKind.Number:
                // One spelling per number: integers as integers, everything else in round-trip form.
                if (element.TryGetInt64(out long integer))
                {
                    writer.WriteNumberValue(integer);
                }
                else
                {
                    double d = element.GetDouble();
                    if (d == Math.Floor(d) && Math.Abs(d) < 1e15)
                    {
                        writer.WriteNumberValue((long)d);
                    }
                    else
                    {
                        writer.WriteRawValue(d.ToString("R", CultureInfo.InvariantCulture));
                    }
                }

                break;
            case JsonValueKind.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonValueKind.False:
                writer.WriteBooleanValue(false);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
