using System.Text.RegularExpressions;

namespace UpmDurable.Core.Signing;

/// <summary>Delivery ids senders name: allow-listed before they are stored or echoed.</summary>
public static partial class DeliveryIds
{
    /// <summary>1–128 of letters, digits and <c>._:-</c> (GitHub's GUIDs, Jira's identifiers, our own).</summary>
    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    [GeneratedRegex(@"\A[A-Za-z0-9._:-]{1,128}\z")]
    private static partial Regex Pattern();
}
