using DurableTask.Core;
using DurableTask.Core.History;
using Google.Protobuf.Collections;
using Microsoft.DurableTask.Testing.Sidecar.Dispatcher;
using Newtonsoft.Json;
using Xunit;

namespace UpmDurable.Local.Tests;

/// <summary>The two shims between the gRPC sidecar and the Azure Storage backend.</summary>
public sealed class DurableTaskCompatibilityTests
{
    [Fact]
    public void Sidecar_sub_orchestration_events_become_plain_events_with_the_same_data()
    {
        var state = new OrchestrationRuntimeState();
        state.AddEvent(new ExecutionStartedEvent(-1, "input") { OrchestrationInstance = new OrchestrationInstance { InstanceId = "parent", ExecutionId = "e1" }, Name = "Parent" });
        state.AddEvent(new GrpcSubOrchestrationInstanceCreatedEvent(3) { Name = "Child", InstanceId = "child-1", Input = "{\"a\":1}", Version = "v2" });

        SidecarCompatibleOrchestrationService.Normalize(state);

        HistoryEvent created = state.Events.Single(e => e.EventType == EventType.SubOrchestrationInstanceCreated);
        Assert.Equal(typeof(SubOrchestrationInstanceCreatedEvent), created.GetType());
        var plain = (SubOrchestrationInstanceCreatedEvent)created;
        Assert.Equal((3, "Child", "child-1", "{\"a\":1}", "v2"), (plain.EventId, plain.Name, plain.InstanceId, plain.Input, plain.Version));
        Assert.DoesNotContain(state.NewEvents, e => e is GrpcSubOrchestrationInstanceCreatedEvent);
    }

    [Fact]
    public void Protobuf_map_tags_round_trip_through_the_backend_serializer_as_a_dictionary()
    {
        var binder = new ProtobufMapTypeBinder();
        var settings = new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.All, SerializationBinder = new Binder(binder) };
        var tags = new MapField<string, string> { ["team"] = "platform" };

        string json = JsonConvert.SerializeObject(new Holder { Tags = tags }, settings);
        Assert.DoesNotContain("MapField", json, StringComparison.Ordinal);
        Holder back = JsonConvert.DeserializeObject<Holder>(json, settings)!;

        Assert.Equal("platform", back.Tags!["team"]);
    }

    sealed class Holder
    {
        public IDictionary<string, string>? Tags { get; set; }
    }

    // How the Azure Storage backend plugs a custom type binder into Newtonsoft.Json.
    sealed class Binder(ProtobufMapTypeBinder inner) : Newtonsoft.Json.Serialization.ISerializationBinder
    {
        public Type BindToType(string? assemblyName, string typeName) => inner.BindToType(assemblyName!, typeName);

        public void BindToName(Type serializedType, out string? assemblyName, out string? typeName)
        {
            inner.BindToName(serializedType, out string a, out string t);
            (assemblyName, typeName) = (a, t);
        }
    }
}
