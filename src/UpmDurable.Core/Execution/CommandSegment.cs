namespace UpmDurable.Core.Execution;

/// <summary>One command of a pipeline: its argv (program first) and where it starts and ends in the command text.</summary>
public sealed record CommandSegment(IReadOnlyList<string> Argv, int Position, int End)
{
    public string Program => Argv[0];

    /// <summary>0-based position in the command text where each argv token starts (its opening quote when quoted); same length as <see cref="Argv"/>.</summary>
    public IReadOnlyList<int> TokenPositions { get; init; } = [];

    /// <summary>Per token, the command-text position of each of its characters (quotes removed), so a refusal can point inside a quoted token.</summary>
    public IReadOnlyList<IReadOnlyList<int>> TokenCharPositions { get; init; } = [];

    /// <summary>Position in the command text of character <paramref name="offset"/> of argv token <paramref name="index"/>; the token start when unknown.</summary>
    public int PositionOf(int index, int offset = 0)
    {
        if (index < TokenCharPositions.Count && offset >= 0 && offset < TokenCharPositions[index].Count)
        {
            return TokenCharPositions[index][offset];
        }

        return index < TokenPositions.Count ? TokenPositions[index] : Position;
    }
}
