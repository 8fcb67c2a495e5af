using System.Reflection;

namespace UpmDurable.Core.Model;

/// <summary>Derives the words of a closed vocabulary from its <c>const string</c> fields, so no list is kept by hand.</summary>
public static class Vocabulary
{
    /// <summary>Every public string constant of <paramref name="vocabulary"/>, in declaration order.</summary>
    public static IReadOnlyList<string> Of(Type vocabulary) => vocabulary
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToList();
}
