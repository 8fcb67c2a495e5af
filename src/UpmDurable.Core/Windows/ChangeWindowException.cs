namespace UpmDurable.Core.Windows;

/// <summary>A windows file that cannot be loaded; <see cref="Calendar"/> names the calendar when known.</summary>
public sealed class ChangeWindowException : Exception
{
    public ChangeWindowException(string? calendar, string message, Exception? inner = null)
        : base(message, inner)
    {
        Calendar = calendar;
    }

    public string? Calendar { get; }
}
