namespace UpmDurable.Core.Model;

/// <summary>The parts of the risk score, each already capped.</summary>
public sealed record RiskFactors(int Kinds, int BlastRadius, int ProdEndpoint, int Destructive, int DestructiveSteps);
