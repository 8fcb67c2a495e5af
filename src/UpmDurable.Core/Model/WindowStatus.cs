namespace UpmDurable.Core.Model;

/// <summary>Whether a change may run now: <see cref="Open"/>, why, and when the calendar next opens (null: not within a year).</summary>
/// <param name="Open">True inside a maintenance window and outside every freeze.</param>
/// <param name="Reason">Human-readable: which window is open, or which freeze or gap keeps it closed.</param>
/// <param name="NextOpen">When closed: the first instant it opens; when open: now.</param>
/// <param name="OpenUntil">When open: when the current window ends or a freeze starts (null: open without end in the next year).</param>
public sealed record WindowStatus(bool Open, string Reason, DateTimeOffset? NextOpen, DateTimeOffset? OpenUntil = null);
