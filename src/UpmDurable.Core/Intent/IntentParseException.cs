namespace UpmDurable.Core.Intent;

/// <summary>Request text the intent grammar cannot compile; <see cref="Words"/> are the words it did not understand.</summary>
public sealed class IntentParseException(IReadOnlyList<string> words, string message) : Exception(message)
{
    public IReadOnlyList<string> Words { get; } = words;
}
