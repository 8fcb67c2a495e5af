using System.Globalization;
using UpmDurable.Core.Model;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace UpmDurable.Core.Windows;

/// <summary>A period in which no change may run, in UTC; wins over every window.</summary>
public sealed record FreezePeriod(string Name, DateTimeOffset Start, DateTimeOffset End);
