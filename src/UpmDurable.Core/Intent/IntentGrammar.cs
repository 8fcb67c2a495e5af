using System.Globalization;
using System.Text.RegularExpressions;
using UpmDurable.Core.Model;

namespace UpmDurable.Core.Intent;

/// <summary>
/// Compiles a request sentence into catalog resources with a fixed grammar (no language model): same text, same resources.
/// </summary>
/// <remarks>
/// <para>The text is an optional verb (<c>create</c>, <c>add</c>, <c>provision</c>, <c>deploy</c>) followed by clauses joined by
/// <c>and</c> or commas; each clause may repeat the verb. Keywords are case-insensitive, names keep their case. Articles
/// (<c>a</c>, <c>an</c>, <c>the</c>, <c>new</c>) are ignored. A clause is a resource phrase and its modifiers:</para>
/// <list type="bullet">
/// <item><c>resource group NAME</c> (also <c>rg NAME</c>)</item>
/// <item><c>AKS cluster NAME</c> (also <c>cluster</c>, <c>aks</c>, <c>kubernetes cluster</c>) · modifier <c>with N nodes</c></item>
/// <item><c>storage account NAME</c> · <c>key vault NAME</c> (also <c>keyvault</c>) · <c>vnet NAME</c> (also <c>virtual network</c>)</item>
/// <item><c>subnet NAME in vnet VNET</c></item>
/// <item><c>namespace NAME</c> · modifier <c>in cluster NAME</c></item>
/// <item><c>deployment NAME</c> · modifiers <c>with image IMAGE</c> (also <c>of image</c>, <c>image</c>), <c>with N replicas</c></item>
/// <item><c>service NAME</c> · <c>configmap NAME</c> (also <c>config map</c>)</item>
/// </list>
/// <para>Modifiers of any clause: <c>in LOCATION</c> (an Azure region such as <c>eastus</c>), <c>in resource group NAME</c>,
/// <c>in cluster NAME</c>, <c>in namespace NAME</c>, <c>in vnet NAME</c>; each only where the resource has that field.</para>
/// <para>Implied parts, so the spec's sentence "Create AKS cluster aks-demo in eastus and namespace team-alpha" is a whole change:</para>
/// <list type="bullet">
/// <item>An Azure resource without <c>in LOCATION</c> takes the first location the text names.</item>
/// <item>An Azure resource without <c>in resource group</c> goes into the one resource group the text creates; when the text
/// creates none, into an implied <c>az_resource_group</c> named <c>rg-FIRST</c> (FIRST: the first Azure resource's name) in the
/// first location the text names. No location anywhere is an error.</item>
/// <item>A namespace without <c>in cluster</c> belongs to the cluster of the text when it creates exactly one.</item>
/// <item>A deployment, service or config map without <c>in namespace</c> goes into the namespace of the text when it creates
/// exactly one; otherwise it is an error.</item>
/// </list>
/// <para>Words that fit no phrase make the whole text fail with <see cref="IntentParseException"/> listing those words.</para>
/// </remarks>
public static partial class IntentGrammar
{
    [GeneratedRegex(@"[^\s,]+|,")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z][a-z0-9]{1,39}$")]
    private static partial Regex LocationPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:/@+=,-]{0,255}$")]
    private static partial Regex ImagePattern();

    static readonly HashSet<string> Verbs = new(["create", "add", "provision", "deploy"], StringComparer.OrdinalIgnoreCase);
    static readonly HashSet<string> Articles = new(["a", "an", "the", "new"], StringComparer.OrdinalIgnoreCase);
    internal static readonly string[] AzureTypes = ["az_aks", "az_storage_account", "az_key_vault", "az_vnet", "az_subnet"];

    // Resource phrases, longest first so "resource group" wins over a one-word match.
    static readonly (string[] Words, string Type)[] Heads =
    [
        (["resource", "group"], "az_resource_group"),
        (["rg"], "az_resource_group"),
        (["aks", "cluster"], "az_aks"),
        (["kubernetes", "cluster"], "az_aks"),
        (["cluster"], "az_aks"),
        (["aks"], "az_aks"),
        (["storage", "account"], "az_storage_account"),
        (["key", "vault"], "az_key_vault"),
        (["keyvault"], "az_key_vault"),
        (["virtual", "network"], "az_vnet"),
        (["vnet"], "az_vnet"),
        (["subnet"], "az_subnet"),
        (["namespace"], "k8s_namespace"),
        (["deployment"], "k8s_deployment"),
        (["service"], "k8s_service"),
        (["config", "map"], "k8s_configmap"),
        (["configmap"], "k8s_configmap"),
    ];

    /// <summary>The resources the text asks for; throws <see cref="IntentParseException"/> naming the words it did not understand.</summary>
    public static List<ResourceSpec> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim().TrimEnd('.', '!');
        var tokens = TokenPattern().Matches(trimmed).Select(m => m.Value).ToList();
        var clauses = new List<IntentClause>();
        var unknown = new List<string>();
        var problems = new List<string>();

        foreach (List<string> words in SplitClauses(tokens))
        {
            IntentClause? clause = ParseClause(words, unknown);
            if (clause is not null)
            {
                clauses.Add(clause);
            }
        }

        if (unknown.Count > 0)
        {
            throw new IntentParseException(unknown, $"Did not understand: {string.Join(" ", unknown.Select(w => $"'{w}'"))}. See the accepted phrases of the request grammar (e.g. 'Create AKS cluster aks-demo in eastus and namespace team-alpha').");
        }

        if (clauses.Count == 0)
        {
            throw new IntentParseException([], "No resource named: say what to create, e.g. 'Create AKS cluster aks-demo in eastus and namespace team-alpha'.");
        }

        return IntentResolution.Resolve(clauses, problems);
    }

    static IEnumerable<List<string>> SplitClauses(List<string> tokens)
    {
        var current = new List<string>();
        foreach (string token in tokens)
        {
            if (token == "," || token.Equals("and", StringComparison.OrdinalIgnoreCase))
            {
                if (current.Count > 0)
                {
                    yield return current;
                }

                current = [];
                continue;
            }

            current.Add(token);
        }

        if (current.Count > 0)
        {
            yield return current;
        }
    }

    static IntentClause? ParseClause(List<string> words, List<string> unknown)
    {
        int i = 0;
        while (i < words.Count && (Verbs.Contains(words[i]) || Articles.Contains(words[i])))
        {
            i++;
        }

        if (i == words.Count)
        {
            return null;
        }

        (string[] Words, string Type)? head = Heads.Cast<(string[] Words, string Type)?>()
            .FirstOrDefault(h => h!.Value.Words.Length <= words.Count - i && h.Value.Words.Select((w, k) => w.Equals(words[i + k], StringComparison.OrdinalIgnoreCase)).All(b => b));
        if (head is null)
        {
            unknown.AddRange(words.Skip(i));
            return null;
        }

        i += head.Value.Words.Length;
        if (i == words.Count || !NamePattern().IsMatch(words[i]) || IsKeyword(words[i]))
        {
            unknown.AddRange(words.Skip(i - head.Value.Words.Length));
            return null;
        }

        var clause = new IntentClause(head.Value.Type, words[i]);
        i++;
        while (i < words.Count)
        {
            int used = ParseModifier(words, i, clause);
            if (used == 0)
            {
                unknown.Add(words[i]);
                i++;
            }
            else
            {
                i += used;
            }
        }

        return clause;
    }

    // How many words the modifier at i takes (0: not a modifier this resource accepts).
    static int ParseModifier(List<string> w, int i, IntentClause clause)
    {
        bool Is(int at, string word) => at < w.Count && w[at].Equals(word, StringComparison.OrdinalIgnoreCase);
        bool NameAt(int at) => at < w.Count && NamePattern().IsMatch(w[at]) && !IsKeyword(w[at]);
        bool azure = AzureTypes.Contains(clause.Type);
        bool inNamespace = clause.Type is "k8s_deployment" or "k8s_service" or "k8s_configmap";

        if (Is(i, "in"))
        {
            if (azure && Is(i + 1, "resource") && Is(i + 2, "group") && NameAt(i + 3))
            {
                clause.ResourceGroup = w[i + 3];
                return 4;
            }

            if (clause.Type != "az_aks" && clause.Type != "az_resource_group" && !azure && Is(i + 1, "cluster") && NameAt(i + 2))
            {
                clause.Cluster = w[i + 2];
                return 3;
            }

            if (inNamespace && Is(i + 1, "namespace") && NameAt(i + 2))
            {
                clause.Namespace = w[i + 2];
                return 3;
            }

            if (clause.Type == "az_subnet" && Is(i + 1, "vnet") && NameAt(i + 2))
            {
                clause.Vnet = w[i + 2];
                return 3;
            }

            if ((azure || clause.Type == "az_resource_group") && i + 1 < w.Count && LocationPattern().IsMatch(w[i + 1]) && !IsKeyword(w[i + 1]))
            {
                clause.Location = w[i + 1];
                return 2;
            }

            return 0;
        }

        int start = Is(i, "with") || Is(i, "of") ? i + 1 : i;
        if (clause.Type == "k8s_deployment" && Is(start, "image") && start + 1 < w.Count && ImagePattern().IsMatch(w[start + 1]))
        {
            clause.Image = w[start + 1];
            return start + 2 - i;
        }

        if (Is(i, "with") && i + 2 < w.Count && int.TryParse(w[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count is >= 1 and <= 1000)
        {
            if (clause.Type == "az_aks" && (Is(i + 2, "nodes") || Is(i + 2, "node")))
            {
                clause.NodeCount = count;
                return 3;
            }

            if (clause.Type == "k8s_deployment" && (Is(i + 2, "replicas") || Is(i + 2, "replica")))
            {
                clause.Replicas = count;
                return 3;
            }
        }

        return 0;
    }

    static bool IsKeyword(string word) =>
        word.Equals("in", StringComparison.OrdinalIgnoreCase) || word.Equals("with", StringComparison.OrdinalIgnoreCase)
        || word.Equals("and", StringComparison.OrdinalIgnoreCase) || word.Equals("of", StringComparison.OrdinalIgnoreCase);
}
