namespace UpmDurable.Core.Validation;

/// <summary>The field checks every part of a change request shares; each adds the field's error to the errors it is given.</summary>
internal static class FieldRules
{
    /// <summary>A value, when given, must be one of <paramref name="allowed"/>.</summary>
    public static void OneOf(ValidationErrors errors, string field, string? value, string[] allowed)
    {
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
        {
            errors.Add(field, $"One of: {string.Join(", ", allowed)}.");
        }
    }

    /// <summary>A name that reaches command lines: letters, digits, '.', '_' and '-'.</summary>
    public static void Name(ValidationErrors errors, string field, string? value, bool required = false)
    {
        if (value is null)
        {
            if (required)
            {
                errors.Add(field, "Required.");
            }
        }
        else if (!ChangeRequestValidator.NamePattern().IsMatch(value))
        {
            errors.Add(field, "Letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters.");
        }
    }

    /// <summary>An ISO-8601 duration between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public static void Duration(ValidationErrors errors, string field, string value, TimeSpan min, TimeSpan max)
    {
        try
        {
            TimeSpan span = ChangeRequestValidator.ParseDuration(value);
            if (span < min || span > max)
            {
                errors.Add(field, $"Between {min} and {max}.");
            }
        }
        catch (FormatException)
        {
            errors.Add(field, "An ISO-8601 duration such as P3D, PT1H or PT30S.");
        }
    }

    /// <summary>A value as an error message may quote it: at most 64 characters.</summary>
    public static string Clip(string value) => value.Length <= 64 ? value : value[..64] + "...";
}
