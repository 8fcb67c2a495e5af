namespace UpmDurable.Core.Catalog;

/// <summary><c>az_storage_queue</c>: a storage queue; its properties are the queue's metadata.</summary>
public static class AzStorageQueue
{
    public const string Type = "az_storage_queue";

    public static ResourceKind Kind { get; } = new()
    {
        Type = Type, Tool = KindText.Az, HealthCheck = "storage_read_back", MonthlyCostUsd = 0m,
        RiskWeight = 2, ImpactNote = "Queue create ~2 s; billed per message operation.",
        NameRule = StorageDataPlane.QueueNameProblem,
        OpenPropertyRule = StorageDataPlane.MetadataNameProblem,
        Create = r => $"az storage queue create --name {r.Name}{StorageDataPlane.MetadataFlag(r)} --output json",
        ReadBack = r => $"az storage queue metadata show --name {r.Name} --output json",
        Update = r => $"az storage queue metadata update --name {r.Name}{StorageDataPlane.MetadataFlag(r)} --output json",
        Delete = r => $"az storage queue delete --name {r.Name} --output json",
    };
}
