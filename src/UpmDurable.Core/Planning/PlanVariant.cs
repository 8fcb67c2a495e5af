namespace UpmDurable.Core.Planning;

/// <summary>A progressive-delivery variant of a plan: the same steps regrouped into waves (plus, for blue-green, a cut-over). Append-only contract.</summary>
/// <param name="Name"><c>canary</c> or <c>blue_green</c>.</param>
/// <param name="Description">What the variant does, in words, for the dry-run report.</param>
/// <param name="Waves">Step ids per wave, run in order with a health gate between waves.</param>
public sealed record PlanVariant(string Name, string Description, List<List<string>> Waves);
