using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using UpmDurable.Core.Json;
using UpmDurable.Core.Model;
using UpmDurable.Core.Planning;

namespace UpmDurable.Core.Audit;

/// <summary>A stable URL of one evidence record.</summary>
public sealed record Permalink(int Seq, string Kind, string Url);
