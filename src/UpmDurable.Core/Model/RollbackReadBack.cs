namespace UpmDurable.Core.Model;

/// <summary>
/// A resource read back after rollback. <c>state</c>: <c>gone</c>, <c>kept</c> (existed before), <c>left_behind</c>,
/// <c>restored</c> (fields equal its before-image), <c>recreated</c>, <c>not_restored</c> (differs from its before-image).
/// </summary>
public sealed record RollbackReadBack(string StepId, string Resource, string State, string Message);
