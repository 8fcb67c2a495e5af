namespace UpmDurable.Api;

/// <summary>How this host identifies callers: <c>app_service_principal</c> is <c>off</c>, <c>trusted</c> or <c>ignored</c>.</summary>
public sealed record AuthHealth(string AppServicePrincipal, string Detail);
