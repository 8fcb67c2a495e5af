using UpmDurable.Core.Model;

namespace UpmDurable.Api;

/// <summary>A change request read for submission or a dry run: the spec as it will run and its plan, or the problem to answer.</summary>
public sealed record ChangeReading(ChangeSpec? Spec, Plan? Plan, ApiResult? Problem)
{
    public static ChangeReading Refused(ApiResult problem) => new(null, null, problem);
}
