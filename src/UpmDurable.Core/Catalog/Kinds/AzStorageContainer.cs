namespace UpmDurable.Core.Catalog;

/// <summary><c>az_storage_container</c>: a blob container; its properties are the container's metadata.</summary>
public static class AzStorageContainer
{
    public const string Type = "az_storage_container";

    public static ResourceKind Kind { get; } = new()
    {
        Type = Type, Tool = KindText.Az, HealthCheck = "storage_read_back", MonthlyCostUsd = 0m,
        RiskWeight = 2, ImpactNote = "Blob container create ~2 s; billed by the data stored in it.",
        NameRule = StorageDataPlane.ContainerNameProblem,
        OpenPropertyRule = StorageDataPlane.MetadataNameProblem,
        Create = r => $"az storage container create --name {r.Name}{StorageDataPlane.MetadataFlag(r)} --output json",
        ReadBack = r => $"az storage container show --name {r.Name} --output json",
        Update = r => $"az storage container metadata update --name {r.Name}{StorageDataPlane.MetadataFlag(r)} --output json",
        Delete = r => $"az storage container delete --name {r.Name} --output json",
    };
}
