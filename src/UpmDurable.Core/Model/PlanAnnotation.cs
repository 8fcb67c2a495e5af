namespace UpmDurable.Core.Model;

/// <summary>The policy annotation of a plan (L3): who, why, when, window, impact, cost and risk. Not part of <c>plan_hash</c>. Append-only contract.</summary>
public sealed record PlanAnnotation
{
    /// <summary>Who: the authenticated principal that submitted the change.</summary>
    public required string Initiator { get; init; }

    /// <summary>Why: the request text.</summary>
    public required string Request { get; init; }

    /// <summary>When: the time the change was submitted.</summary>
    public required DateTimeOffset SubmittedAt { get; init; }

    public required string Owner { get; init; }

    public TicketRef? Ticket { get; init; }

    /// <summary>The change-window calendar the change runs in (<c>default</c> when the request names none).</summary>
    public required string ChangeWindow { get; init; }

    public required List<ImpactNote> ImpactNotes { get; init; }

    public required List<CostLine> Cost { get; init; }

    public required decimal MonthlyCostUsd { get; init; }

    /// <summary>0-100, see <see cref="Planning.PlanAnnotator"/> for the formula.</summary>
    public required int RiskScore { get; init; }

    /// <summary><c>low</c> (&lt; 30), <c>medium</c> (&lt; 60) or <c>high</c>.</summary>
    public required string RiskLevel { get; init; }

    public required RiskFactors RiskFactors { get; init; }
}
