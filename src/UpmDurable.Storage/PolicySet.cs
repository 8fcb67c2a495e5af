using UpmDurable.Core.Policy;
using UpmDurable.Core.Windows;

namespace UpmDurable.Storage;

/// <summary>The packs and calendars in force.</summary>
public sealed record PolicySet(IReadOnlyList<PolicyPack> Packs, IReadOnlyDictionary<string, ChangeWindowCalendar> Calendars);
