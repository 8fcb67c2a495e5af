using UpmDurable.Core.Planning;
using UpmDurable.Core.Policy;
using UpmDurable.Core.Windows;

namespace UpmDurable.Core.Model;

/// <summary>The head of a change's evidence hash chain: how many records, and the hash of the last.</summary>
public sealed record EvidenceHead(int Records, string? ChainHead);
