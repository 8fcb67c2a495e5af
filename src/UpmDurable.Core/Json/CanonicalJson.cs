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
        JsonElement element = JsonSerializer.SerializeToElement(value, UpmJson.Options);
        return ToBytes(element);
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
