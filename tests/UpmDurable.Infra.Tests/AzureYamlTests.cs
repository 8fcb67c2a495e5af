using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using Xunit;

namespace UpmDurable.Infra.Tests;

/// <summary>azure.yaml against azd's own JSON schema (a copy in infra/schemas, so the test needs no network).</summary>
public sealed partial class AzureYamlTests
{
    private static readonly string SchemaPath = RepositoryRoot.Combine("infra", "schemas", "azure.yaml.json");

    [Fact]
    public void Azure_yaml_is_valid_against_the_azd_schema()
    {
        var result = Validate(File.ReadAllText(RepositoryRoot.Combine("azure.yaml")));
        Assert.True(result.IsValid, Describe(result));
    }

    [Fact]
    public void Azure_yaml_deploys_the_functions_project_as_the_api_service_on_functions()
    {
        var yaml = ToJson(File.ReadAllText(RepositoryRoot.Combine("azure.yaml")))!;
        Assert.Equal("upmdurable", (string?)yaml["name"]);
        var api = yaml["services"]!["api"]!;
        Assert.Equal("src/UpmDurable.Functions", (string?)api["project"]);
        Assert.Equal("dotnet", (string?)api["language"]);
        Assert.Equal("function", (string?)api["host"]);
        Assert.True(File.Exists(RepositoryRoot.Combine("src", "UpmDurable.Functions", "UpmDurable.Functions.csproj")));
    }

    [Fact]
    public void Postprovision_hook_runs_the_script_that_writes_local_settings()
    {
        var yaml = ToJson(File.ReadAllText(RepositoryRoot.Combine("azure.yaml")))!;
        var hook = yaml["hooks"]!["postprovision"]!["posix"]!;
        Assert.Equal("scripts/postprovision.sh", (string?)hook["run"]);
        Assert.Equal("sh", (string?)hook["shell"]);

        var script = RepositoryRoot.Combine("scripts", "postprovision.sh");
        Assert.True(File.Exists(script));
        if (!OperatingSystem.IsWindows())
        {
            Assert.True((File.GetUnixFileMode(script) & UnixFileMode.UserExecute) != 0, "postprovision.sh must be executable");
        }

        var text = File.ReadAllText(script);
        Assert.Contains("src/UpmDurable.Functions/local.settings.json", text, StringComparison.Ordinal);
        Assert.Contains("AZURE_STORAGE_ACCOUNT_NAME", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("name: UpmDurable\n", "upper-case name")]
    [InlineData("name: upmdurable\nservices:\n  api:\n    project: src/UpmDurable.Functions\n    language: dotnet\n", "service without host")]
    [InlineData("name: upmdurable\nhooks:\n  postprovision:\n    run: scripts/postprovision.sh\n    interactive: sometimes\n", "non-boolean interactive")]
    [InlineData("name: upmdurable\nhooks:\n  afterlunch:\n    run: scripts/postprovision.sh\n", "unknown hook")]
    public void Schema_check_rejects_a_broken_azure_yaml(string yaml, string why)
    {
        Assert.False(Validate(yaml).IsValid, why);
    }

    private static EvaluationResults Validate(string yaml)
    {
        Assert.True(File.Exists(SchemaPath), $"azd schema copy missing at {SchemaPath} (copied from ../shared/schemas/azure.yaml.json)");
        var text = File.ReadAllText(SchemaPath);
        var options = new EvaluationOptions { OutputFormat = OutputFormat.List };
        // The azd schema points at azd extensions' schemas (AI agent/project services) by URL. They do not apply to a
        // `host: function` service; stub them as "anything" so validation never goes to the network.
        foreach (var uri in RemoteRefs().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal))
        {
            options.SchemaRegistry.Register(new Uri(uri), JsonSchema.True);
        }

        return JsonSchema.FromText(text).Evaluate(ToJson(yaml), options);
    }

    private static string Describe(EvaluationResults result) =>
        string.Join('\n', (result.Details ?? []).Where(d => d.HasErrors)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")));

    [GeneratedRegex("\"\\$ref\"\\s*:\\s*\"(https?://[^\"#]+)")]
    private static partial Regex RemoteRefs();

    /// <summary>YAML to JSON with YAML 1.2 core-schema scalars: plain true/false/null/numbers become JSON values.</summary>
    private static JsonNode? ToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c =>
            KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, Convert(c.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }

        return value switch
        {
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            "" or "~" or "null" or "Null" or "NULL" => null,
            _ when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            _ => JsonValue.Create(value),
        };
    }
}
