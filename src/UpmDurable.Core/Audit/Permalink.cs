namespace UpmDurable.Core.Audit;

/// <summary>A stable URL of one evidence record.</summary>
public sealed record Permalink(int Seq, string Kind, string Url);
