using UpmDurable.Api.Health;

namespace UpmDurable.Api;

// An answer shape ChangeApi writes, named so the OpenAPI document can describe it; a test compares the local host's real
// answers with these shapes, so a field added to an answer must be added here.
/// <summary>GET /api/health.</summary>
public sealed record HealthReport(string Status, string Storage, DateTimeOffset Time, SortedDictionary<string, ProviderHealth> Providers, SortedDictionary<string, ProviderHealth> Webhooks, AuthHealth Auth);
