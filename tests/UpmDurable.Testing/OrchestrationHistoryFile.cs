using DurableTask.Core.History;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace UpmDurable.Testing;

/// <summary>
/// An orchestration's history as a checked-in JSON file, in the Azure Storage backend's own form (its
/// <c>GetOrchestrationHistoryAsync</c>: an array of history events, each with its <c>EventType</c>): written by the
/// versioning end-to-end test, read back as Durable Task's <see cref="HistoryEvent"/>s by the replay tests. Reading maps
/// each <c>EventType</c> to the history event class of that name and nothing else (an allow-list by construction).
/// </summary>
public static class OrchestrationHistoryFile
{
    static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        TypeNameHandling = TypeNameHandling.None,
        DateTimeZoneHandling = DateTimeZoneHandling.Utc,
    });

    /// <summary>The backend's history JSON, indented for review.</summary>
    public static string Format(string engineJson) => JToken.Parse(engineJson).ToString(Formatting.Indented);

    /// <summary>The history a file holds, in order.</summary>
    public static List<HistoryEvent> Read(string json)
    {
        var events = new List<HistoryEvent>();
        foreach (JObject item in JArray.Parse(json).Cast<JObject>())
        {
            JToken kind = item["EventType"] ?? throw new JsonSerializationException("a history event without EventType");
            EventType eventType = kind.Type == JTokenType.Integer ? (EventType)kind.Value<int>() : Enum.Parse<EventType>(kind.Value<string>()!);
            events.Add((HistoryEvent)item.ToObject(ClassOf(eventType), Serializer)!);
        }

        return events;
    }

    static Type ClassOf(EventType eventType)
    {
        Type? type = typeof(HistoryEvent).Assembly.GetType($"{typeof(HistoryEvent).Namespace}.{eventType}Event");
        return type is not null && typeof(HistoryEvent).IsAssignableFrom(type) && !type.IsAbstract
            ? type
            : throw new JsonSerializationException($"no history event class for EventType {eventType}");
    }
}
