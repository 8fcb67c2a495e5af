using System.Text.Json.Nodes;

namespace UpmDurable.Cli;

/// <summary>The API answered with an error; <see cref="Problem"/> is its RFC 7807 document when it sent one.</summary>
internal sealed class UpmApiException(int status, JsonNode? problem) : Exception($"HTTP {status}: {problem?["title"]} {problem?["detail"]}")
{
    public int Status { get; } = status;

    public JsonNode? Problem { get; } = problem;

    /// <summary>The request file the refused request carried, to point at the line of each bad field.</summary>
    public JsonInputFile? Input { get; set; }
}
