namespace UpmDurable.Core.Model;

/// <summary>How a <see cref="PendingOperation"/>'s status URL is read.</summary>
public static class PendingOperationKinds
{
    /// <summary>An ARM <c>Azure-AsyncOperation</c> URL: a body <c>{"status": "InProgress|Succeeded|Failed|Canceled", "error": {...}}</c>.</summary>
    public const string AsyncOperation = "async_operation";

    /// <summary>An ARM <c>Location</c> URL: 202 while running, 200/201/204 when done, an error body when failed.</summary>
    public const string Location = "location";

    /// <summary>The resource itself: its <c>provisioningState</c> (a DELETE is done when it answers 404).</summary>
    public const string Resource = "resource";
}
