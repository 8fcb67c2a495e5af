namespace UpmDurable.Core.Catalog;

/// <summary><c>az_storage_table</c>: an Azure Table storage table (tables carry no metadata, so no properties).</summary>
public static class AzStorageTable
{
    public const string Type = "az_storage_table";

    public static ResourceKind Kind { get; } = new()
    {
        Type = Type, Tool = KindText.Az, HealthCheck = "storage_read_back", MonthlyCostUsd = 0m,
        RiskWeight = 2, ImpactNote = "Table create ~2 s; billed by the data stored in it.",
        NameRule = StorageDataPlane.TableNameProblem,
        Create = r => $"az storage table create --name {r.Name} --output json",
        ReadBack = r => $"az storage table exists --name {r.Name} --output json",
        Delete = r => $"az storage table delete --name {r.Name} --output json",
    };
}
