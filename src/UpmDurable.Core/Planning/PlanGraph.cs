using System.Text;
using UpmDurable.Core.Model;

namespace UpmDurable.Core.Planning;

/// <summary>The dependency graph of a plan as Mermaid or Graphviz DOT text.</summary>
public static class PlanGraph
{
    public static string Mermaid(Plan plan)
    {
        var text = new StringBuilder("graph TD\n");
        var ids = plan.Steps.Select((s, i) => (s.Id, Node: $"s{i}")).ToDictionary(p => p.Id, p => p.Node, StringComparer.Ordinal);
        foreach (PlanStep step in plan.Steps)
        {
            text.Append("    ").Append(ids[step.Id]).Append("[\"").Append(step.Id).Append(" (wave ").Append(step.Wave).Append(")\"]\n");
        }

        foreach (PlanStep step in plan.Steps)
        {
            foreach (string dependency in step.DependsOn)
            {
                text.Append("    ").Append(ids[dependency]).Append(" --> ").Append(ids[step.Id]).Append('\n');
            }
        }

        return text.ToString();
    }

    public static string Dot(Plan plan)
    {
        var text = new StringBuilder("digraph plan {\n    rankdir=LR;\n");
        foreach (PlanStep step in plan.Steps)
        {
            text.Append("    \"").Append(step.Id).Append("\" [label=\"").Append(step.Id).Append("\\nwave ").Append(step.Wave).Append("\"];\n");
        }

        foreach (PlanStep step in plan.Steps)
        {
            foreach (string dependency in step.DependsOn)
            {
                text.Append("    \"").Append(dependency).Append("\" -> \"").Append(step.Id).Append("\";\n");
            }
        }

        return text.Append("}\n").ToString();
    }
}
