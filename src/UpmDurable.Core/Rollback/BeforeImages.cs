using System.Security.Cryptography;
using System.Text;
using UpmDurable.Core.Execution;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Validation;

namespace UpmDurable.Core.Rollback;

/// <summary>
/// How a before-image is made, stored and used: redacted fields (a secret is never stored, and a masked field is never
/// written back), its exact stored bytes and their sha256 (what a step record carries into the evidence chain), and the
/// fields a restore sets.
/// </summary>
public static class BeforeImages
{
    /// <summary>The image of a resource as read before a step touched it (null fields: it did not exist), redacted.</summary>
    public static BeforeImage Of(PlanStep step, bool existed, IReadOnlyDictionary<string, string>? fields, string? createdBy, DateTimeOffset capturedAt, string? notRestorable) => new()
    {
        StepId = step.Id,
        Type = step.Type,
        Name = step.Name,
        Existed = existed,
        Fields = Redact(fields),
        CreatedBy = createdBy,
        CapturedAt = capturedAt,
        NotRestorable = existed ? notRestorable : null,
    };

    /// <summary>
    /// Fields with every value that holds a secret, or whose name says it is one (<c>password=...</c>, <c>account_key=...</c>),
    /// masked with the one redaction rule of step outputs (<see cref="SecretScreen"/>).
    /// </summary>
    public static Dictionary<string, string> Redact(IReadOnlyDictionary<string, string>? fields)
    {
        var redacted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string name, string value) in fields ?? new Dictionary<string, string>())
        {
            string pair = $"{name}={value}";
            redacted[name] = SecretScreen.Redact(pair) != pair || SecretScreen.HoldsSecret(value) ? SecretRedactor.Mask : value;
        }

        return redacted;
    }

    /// <summary>Whether a field of an image was masked (its value is not known, so a restore leaves the field as it is).</summary>
    public static bool Masked(string value) => value == SecretRedactor.Mask;

    /// <summary>
    /// The fields a restore sets: the image's, except a masked field, which keeps its current value (or is left out when
    /// the resource has none).
    /// </summary>
    public static SortedDictionary<string, string> RestoreTarget(BeforeImage image, IReadOnlyDictionary<string, string>? current)
    {
        var target = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach ((string name, string value) in image.Fields)
        {
            if (!Masked(value))
            {
                target[name] = value;
            }
            else if (current is not null && current.TryGetValue(name, out string? now))
            {
                target[name] = now;
            }
        }

        return target;
    }

    /// <summary>The exact bytes an image is stored as.</summary>
    public static byte[] Bytes(BeforeImage image) => Encoding.UTF8.GetBytes(UpmJson.Serialize(image));

    /// <summary><c>sha256:&lt;hex&gt;</c> of stored bytes, the form <see cref="StepRecord.BeforeImageSha256"/> carries.</summary>
    public static string Sha256(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}
