using System.Text;
using System.Text.RegularExpressions;
using UpmDurable.Core.Model;

namespace UpmDurable.Core.Catalog;

/// <summary>
/// What the storage data-plane kinds (<c>az_storage_container</c>, <c>az_storage_table</c>, <c>az_storage_queue</c>) share:
/// Azure's naming rules, metadata as <c>--metadata k=v</c> and the ownership marker. No command ever carries a
/// connection string or key: the <c>cli</c> provider passes the account through <c>AZURE_STORAGE_CONNECTION_STRING</c>.
/// </summary>
public static partial class StorageDataPlane
{
    /// <summary>
    /// Metadata entry the <c>cli</c> provider adds when it creates a container or queue: the id of the change that
    /// created it. Compensation deletes only resources carrying the change's own id. Reserved: requests cannot set it.
    /// </summary>
    public const string OwnerKey = "upm_change";

    /// <summary>Prefix of metadata names reserved for UpmDurable.</summary>
    public const string ReservedPrefix = "upm_";

    // Containers and queues: 3-63 lower-case letters, digits and '-', starting and ending with a letter or digit, no "--".
    [GeneratedRegex("^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerOrQueueName();

    // Tables: 3-63 letters and digits, starting with a letter.
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex TableName();

    // Metadata names are C# identifiers for Azure; lower case so what we write is what read-back returns.
    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex MetadataName();

    /// <summary>Azure's rule for container names (queues share it); null when valid.</summary>
    public static string? ContainerNameProblem(string name) => ContainerOrQueueName().IsMatch(name)
        ? null
        : "A container name: 3-63 lower-case letters, digits and '-', starting and ending with a letter or digit, no '--'.";

    /// <summary>Azure's rule for queue names; null when valid.</summary>
    public static string? QueueNameProblem(string name) => ContainerOrQueueName().IsMatch(name)
        ? null
        : "A queue name: 3-63 lower-case letters, digits and '-', starting and ending with a letter or digit, no '--'.";

    /// <summary>Azure's rule for table names; null when valid.</summary>
    public static string? TableNameProblem(string name) =>
        !TableName().IsMatch(name) ? "A table name: 3-63 letters and digits, starting with a letter."
        : string.Equals(name, "tables", StringComparison.OrdinalIgnoreCase) ? "'tables' is reserved by Azure Table storage."
        : null;

    /// <summary>The rule for a metadata name given as a property; null when valid.</summary>
    public static string? MetadataNameProblem(string name) =>
        !MetadataName().IsMatch(name) ? "A metadata name: lower-case letters, digits and '_', not starting with a digit, at most 63 characters."
        : name.StartsWith(ReservedPrefix, StringComparison.Ordinal) ? $"Metadata names starting with '{ReservedPrefix}' are reserved for UpmDurable."
        : null;

    /// <summary><c> --metadata k=v ...</c> from the properties in ordinal order, or nothing without properties.</summary>
    public static string MetadataFlag(ResourceSpec r)
    {
        if (r.Properties is null || r.Properties.Count == 0)
        {
            return string.Empty;
        }

        var text = new StringBuilder(" --metadata");
        foreach (var (name, value) in r.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(' ').Append(name).Append('=').Append(KindText.Render(value));
        }

        return text.ToString();
    }
}
