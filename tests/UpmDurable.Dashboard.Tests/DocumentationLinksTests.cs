using System.Text.RegularExpressions;
using UpmDurable.Testing;
using Xunit;

namespace UpmDurable.Dashboard.Tests;

/// <summary>
/// Every documentation path the repository mentions exists: links in README and docs/, and doc paths named in source
/// code comments and messages (a newcomer who follows one must not land on nothing).
/// </summary>
public sealed partial class DocumentationLinksTests
{
    [Fact]
    public void Every_relative_markdown_link_in_readme_and_docs_points_at_a_file_that_exists()
    {
        var broken = new List<string>();
        foreach (string file in MarkdownFiles())
        {
            string folder = Path.GetDirectoryName(file)!;
            foreach (Match link in MarkdownLink().Matches(File.ReadAllText(file)))
            {
                string target = link.Groups["target"].Value.Split('#')[0];
                if (target.Length == 0 || target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                string path = Path.GetFullPath(Path.Combine(folder, target));
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    broken.Add($"{Path.GetRelativePath(RepoPaths.Root, file)} → {target}");
                }
            }
        }

        Assert.True(MarkdownFiles().Count() >= 10, "README and docs/ were not found");
        Assert.Empty(broken);
    }

    [Fact]
    public void Every_doc_path_named_in_source_code_exists()
    {
        var missing = new List<string>();
        foreach (string root in new[] { "src", "tests", "bench" })
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, root), "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (Match doc in DocPath().Matches(File.ReadAllText(file)))
                {
                    if (!File.Exists(Path.Combine(RepoPaths.Root, doc.Value)))
                    {
                        missing.Add($"{Path.GetRelativePath(RepoPaths.Root, file)}: {doc.Value}");
                    }
                }
            }
        }

        Assert.Empty(missing);
    }

    [Fact]
    public void The_committed_spec_copies_equal_the_originals_wherever_those_are_present()
    {
        foreach (string name in new[] { "api.md", "upm-v2.md" })
        {
            string copy = Path.Combine(RepoPaths.Root, "docs", "contract", name);
            Assert.True(File.Exists(copy), $"{copy} is missing");
            string original = Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "spec", name));
            if (File.Exists(original))
            {
                Assert.True(File.ReadAllText(original) == File.ReadAllText(copy), $"{copy} differs from {original}: copy it again");
            }
        }
    }

    static IEnumerable<string> MarkdownFiles() =>
        new[] { Path.Combine(RepoPaths.Root, "README.md") }
            .Concat(Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "docs"), "*.md", SearchOption.AllDirectories));

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    // docs/<name>.md or docs/contract/<name>.md; also the spec folder outside this repository, so naming that is a miss.
    [GeneratedRegex(@"(?<![\w/.-])(?:docs|shared/spec)/[\w./-]+\.md")]
    private static partial Regex DocPath();
}
