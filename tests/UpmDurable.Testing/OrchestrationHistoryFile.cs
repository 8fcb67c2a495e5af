using DurableTask.Core.History;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;

namespace UpmDurable.Testing;

/// <summary>
/// An orchestration's history (Durable Task's own <see cref="HistoryEvent"/>s, as the engine stores and replays them) as a
/// checked-in JSON file: written by the versioning end-to-end test, replayed by the replay tests. Each event carries its
/// type; reading binds only Durable Task's history types (an allow-list, so a file can never name another type).
/// </summary>
public static class OrchestrationHistoryFile
{
    static readonly JsonSerializerSettings Settings = new()
    {
        TypeNameHandling = TypeNameHandling.Objects,
        SerializationBinder = new HistoryTypes(),
        Formatting = Formatting.Indented,
        DateTimeZoneHandling = DateTimeZoneHandling.Utc,
    };

    /// <summary>The JSON of a history; tags (a protobuf map when the history came over gRPC) as a plain dictionary.</summary>
    public static string Write(IEnumerable<HistoryEvent> history)
    {
        var events = history.ToList();
        foreach (ExecutionStartedEvent started in events.OfType<ExecutionStartedEvent>())
        {
            started.Tags = started.Tags is null ? null : new Dictionary<string, string>(started.Tags, StringComparer.Ordinal);
        }

        return JsonConvert.SerializeObject(events, Settings);
    }

    /// <summary>The history a file holds, in order.</summary>
    public static List<HistoryEvent> Read(string json) =>
        JsonConvert.DeserializeObject<List<HistoryEvent>>(json, Settings) ?? throw new JsonSerializationException("empty history file");

    sealed class HistoryTypes : ISerializationBinder
    {
        readonly DefaultSerializationBinder inner = new();

        public Type BindToType(string? assemblyName, string typeName)
        {
            Type type = inner.BindToType(assemblyName, typeName);
            bool allowed = (type.Assembly == typeof(HistoryEvent).Assembly && type.Namespace?.StartsWith("DurableTask.Core", StringComparison.Ordinal) == true)
                || type == typeof(Dictionary<string, string>)
                || type == typeof(List<HistoryEvent>);
            return allowed ? type : throw new JsonSerializationException($"type {typeName} is not a Durable Task history type");
        }

        public void BindToName(Type serializedType, out string? assemblyName, out string? typeName) =>
            inner.BindToName(serializedType, out assemblyName, out typeName);
    }
}
