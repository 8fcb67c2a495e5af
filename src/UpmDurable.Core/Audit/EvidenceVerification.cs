namespace UpmDurable.Core.Audit;

/// <summary>The outcome of re-checking a change's stored evidence: <c>{ok, records, first_bad_record}</c> plus why.</summary>
public sealed record EvidenceVerification(bool Ok, int Records, int? FirstBadRecord, string? Problem, string? ChainHead);
