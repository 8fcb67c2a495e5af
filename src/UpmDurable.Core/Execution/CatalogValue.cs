namespace UpmDurable.Core.Execution;

/// <summary>How a catalog option's value is checked.</summary>
public enum CatalogValue
{
    /// <summary>A flag: no value.</summary>
    None,

    /// <summary>Any text, except that it may not start with <c>@</c> (az reads <c>@file</c> values from the file).</summary>
    Text,

    /// <summary>A resource name: letters, digits, <c>. _ - $</c>, at most 255 characters.</summary>
    Name,

    /// <summary>A decimal number.</summary>
    Integer,

    /// <summary>One of <see cref="CatalogOption.Choices"/>.</summary>
    Choice,
}
