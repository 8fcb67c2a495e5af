using DurableTask.AzureStorage;

namespace UpmDurable.Local;

/// <summary>
/// The gRPC sidecar puts a protobuf <c>MapField</c> into <c>ExecutionStartedEvent.Tags</c>; the Azure Storage backend's JSON
/// message serializer writes its type name and cannot read it back (poison message). Serialise it as a plain dictionary.
/// </summary>
public sealed class ProtobufMapTypeBinder : ICustomTypeBinder
{
    static readonly Type Dictionary = typeof(Dictionary<string, string>);

    public void BindToName(Type serializedType, out string assemblyName, out string typeName)
    {
        Type type = serializedType.IsGenericType && serializedType.GetGenericTypeDefinition().FullName == "Google.Protobuf.Collections.MapField`2"
            ? Dictionary
            : serializedType;
        assemblyName = type.Assembly.FullName!;
        typeName = type.FullName!;
    }

    public Type BindToType(string assemblyName, string typeName)
    {
        if (typeName.StartsWith("Google.Protobuf.Collections.MapField", StringComparison.Ordinal))
        {
            return Dictionary;
        }

        return Type.GetType($"{typeName}, {assemblyName}", throwOnError: true)!;
    }
}
