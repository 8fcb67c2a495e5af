using Mono.Cecil;
using Mono.Cecil.Cil;

namespace UpmDurable.Workflows.Tests;

/// <summary>
/// The namespaces of one compiled assembly and which uses which, read from its metadata: base types, interfaces, fields,
/// properties, signatures, attributes and every type or member an IL instruction names. Compiler-generated types (lambdas,
/// async state machines) count for the type that declares them; types in the global namespace (anonymous types) are left out.
/// </summary>
public sealed class NamespaceGraph
{
    readonly SortedDictionary<string, SortedSet<string>> uses = new(StringComparer.Ordinal);
    readonly Dictionary<(string From, string To), string> examples = [];

    /// <summary>For each namespace, the other namespaces of the assembly it uses.</summary>
    public IReadOnlyDictionary<string, SortedSet<string>> Uses => uses;

    /// <summary>A graph from explicit edges (for testing the cycle search itself).</summary>
    public static NamespaceGraph From(params (string From, string To)[] edges)
    {
        var graph = new NamespaceGraph();
        foreach (var (from, to) in edges)
        {
            graph.Add(from, to);
        }

        return graph;
    }

    /// <summary>Reads the namespace dependencies of the assembly at <paramref name="path"/>.</summary>
    public static NamespaceGraph Read(string path)
    {
        var graph = new NamespaceGraph();
        using ModuleDefinition module = ModuleDefinition.ReadModule(path);
        foreach (TypeDefinition type in module.GetTypes())
        {
            string from = NamespaceOf(type);
            if (from.Length == 0)
            {
                continue;
            }

            void Use(TypeReference? used)
            {
                foreach (string to in NamespacesIn(used, module))
                {
                    graph.Add(from, to, $"{type.FullName} uses {used!.FullName}");
                }
            }

            Use(type.BaseType);
            type.Interfaces.ToList().ForEach(i => Use(i.InterfaceType));
            type.CustomAttributes.ToList().ForEach(a => Use(a.AttributeType));
            type.Fields.ToList().ForEach(f => Use(f.FieldType));
            type.Properties.ToList().ForEach(p => Use(p.PropertyType));
            type.Events.ToList().ForEach(e => Use(e.EventType));
            foreach (MethodDefinition method in type.Methods)
            {
                Use(method.ReturnType);
                method.Parameters.ToList().ForEach(p => Use(p.ParameterType));
                method.CustomAttributes.ToList().ForEach(a => Use(a.AttributeType));
                if (!method.HasBody)
                {
                    continue;
                }

                method.Body.Variables.ToList().ForEach(v => Use(v.VariableType));
                foreach (Instruction instruction in method.Body.Instructions)
                {
                    switch (instruction.Operand)
                    {
                        case TypeReference typeOperand:
                            Use(typeOperand);
                            break;
                        case MethodReference methodOperand:
                            Use(methodOperand.DeclaringType);
                            Use(methodOperand.ReturnType);
                            methodOperand.Parameters.ToList().ForEach(p => Use(p.ParameterType));
                            if (methodOperand is GenericInstanceMethod generic)
                            {
                                generic.GenericArguments.ToList().ForEach(Use);
                            }

                            break;
                        case FieldReference fieldOperand:
                            Use(fieldOperand.DeclaringType);
                            Use(fieldOperand.FieldType);
                            break;
                    }
                }
            }
        }

        return graph;
    }

    /// <summary>The groups of namespaces that reach each other (strongly connected, more than one); none when acyclic.</summary>
    public IReadOnlyList<SortedSet<string>> Cycles()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var groups = new List<SortedSet<string>>();

        void Connect(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (string next in uses.GetValueOrDefault(node) ?? [])
            {
                if (!index.TryGetValue(next, out int seen))
                {
                    Connect(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], seen);
                }
            }

            if (low[node] == index[node])
            {
                var group = new SortedSet<string>(StringComparer.Ordinal);
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    group.Add(member);
                }
                while (member != node);

                if (group.Count > 1)
                {
                    groups.Add(group);
                }
            }
        }

        foreach (string node in uses.Keys.ToList())
        {
            if (!index.ContainsKey(node))
            {
                Connect(node);
            }
        }

        return groups;
    }

    /// <summary>The uses inside a group of namespaces, each with the first type that makes it.</summary>
    public string Describe(IReadOnlySet<string> group) =>
        string.Join("; ", group.SelectMany(from => (uses.GetValueOrDefault(from) ?? []).Where(group.Contains)
            .Select(to => $"{from} -> {to}" + (examples[(from, to)] is { Length: > 0 } why ? $" ({why})" : string.Empty))));

    void Add(string from, string to, string? example = null)
    {
        if (from == to || to.Length == 0)
        {
            return;
        }

        examples.TryAdd((from, to), example ?? string.Empty);

        if (!uses.TryGetValue(from, out SortedSet<string>? targets))
        {
            uses[from] = targets = new SortedSet<string>(StringComparer.Ordinal);
        }

        targets.Add(to);
    }

    // The namespaces of this module's types a type reference names (generic arguments, arrays and pointers unwrapped).
    static IEnumerable<string> NamespacesIn(TypeReference? type, ModuleDefinition module)
    {
        switch (type)
        {
            case null or GenericParameter:
                yield break;
            case GenericInstanceType generic:
                foreach (string ns in NamespacesIn(generic.ElementType, module).Concat(generic.GenericArguments.SelectMany(a => NamespacesIn(a, module))))
                {
                    yield return ns;
                }

                yield break;
            case TypeSpecification specification:
                foreach (string ns in NamespacesIn(specification.ElementType, module))
                {
                    yield return ns;
                }

                yield break;
        }

        if (type is TypeDefinition || type.Scope == module)
        {
            yield return NamespaceOf(type);
        }
    }

    static string NamespaceOf(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type.Namespace;
    }
}
