using System.Text.RegularExpressions;
using UpmDurable.Core.Model;
using Xunit;

namespace UpmDurable.Core.Tests;

/// <summary>The closed vocabularies are derived from their constants: complete, distinct, and spelled as the JSON has them.</summary>
public sealed partial class VocabularyTests
{
    public static TheoryData<string, int> Vocabularies => new()
    {
        { nameof(ChangeStatuses), 15 },
        { nameof(EvidenceKinds), 20 },
        { nameof(OperatorActions), 4 },
        { nameof(DriftModes), 3 },
        { nameof(StepOutcomes), 12 },
        { nameof(Rollback.RollbackActions), 6 },
        { nameof(ApprovalOutcomes), 5 },
    };

    static IReadOnlyList<string> Words(string vocabulary) => vocabulary switch
    {
        nameof(ChangeStatuses) => ChangeStatuses.All,
        nameof(EvidenceKinds) => EvidenceKinds.All,
        nameof(OperatorActions) => OperatorActions.All,
        nameof(DriftModes) => DriftModes.All,
        nameof(StepOutcomes) => StepOutcomes.All,
        nameof(Rollback.RollbackActions) => Rollback.RollbackActions.All,
        nameof(ApprovalOutcomes) => ApprovalOutcomes.All,
        _ => throw new ArgumentOutOfRangeException(nameof(vocabulary)),
    };

    [Theory]
    [MemberData(nameof(Vocabularies))]
    public void Every_word_is_derived_from_a_constant_distinct_and_snake_case(string vocabulary, int count)
    {
        IReadOnlyList<string> words = Words(vocabulary);

        Assert.Equal(count, words.Count);
        Assert.Equal(words.Count, words.Distinct(StringComparer.Ordinal).Count());
        Assert.All(words, w => Assert.Matches(SnakeCase(), w));
    }

    [Fact]
    public void The_validator_accepts_exactly_the_drift_modes_and_final_statuses_are_statuses()
    {
        Assert.Equal(DriftModes.All, Canonicals.DriftModes);
        Assert.Contains(ChangeStatuses.WaitingForLock, ChangeStatuses.All);
        Assert.All(ChangeStatuses.All.Where(ChangeStatuses.IsFinal), s => Assert.Contains(s, ChangeStatuses.All));
        Assert.Equal(8, ChangeStatuses.All.Count(ChangeStatuses.IsFinal));
    }

    [GeneratedRegex("^[a-z]+(_[a-z]+)*$")]
    private static partial Regex SnakeCase();
}
