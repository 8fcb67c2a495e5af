namespace UpmDurable.Core.Model;

/// <summary>The ticket a change belongs to in an external system.</summary>
public sealed record TicketRef
{
    public string? System { get; init; }

    public string? Id { get; init; }
}
