using System.Text.RegularExpressions;

namespace Okr.Core.Tests;

/// <summary>The walkthrough pages quote the samples; a quote that no longer matches its sample fails here.</summary>
public partial class DocumentationSnippetTests
{
    [Theory]
    [InlineData("docs/getting-started.md", "samples/Okr.Samples.QuickStart")]
    [InlineData("docs/hr-integration.md", "samples/Okr.Samples.HrIntegration")]
    [InlineData("docs/lifecycle.md", "samples/Okr.Samples.Lifecycle")]
    [InlineData("docs/reporting.md", "samples/Okr.Samples.QuickStart")]
    [InlineData("docs/web-api.md", "samples/Okr.Samples.HrWebApi")]
    public void Every_snippet_line_is_in_the_sample(string page, string sample)
    {
        var root = RepositoryRoot();
        var source = string.Concat(Directory.GetFiles(Path.Combine(root, sample), "*.cs").Select(File.ReadAllText));
        var snippets = CSharpBlock().Matches(File.ReadAllText(Path.Combine(root, page))).Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(snippets);
        var missing = snippets.SelectMany(s => s.Split('\n')).Where(line => line.Trim().Length > 0 && !source.Contains(line, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"{page} quotes lines that are not in {sample}:\n{string.Join('\n', missing)}");
    }

    /// <summary>
    /// Every line of C# in README.md, docs/ and the package READMEs is compiled: it appears in the snippets project
    /// (tests/Okr.Docs.Snippets), in a sample, in the test that compiles the scoring page's custom policy, or in the EF Core
    /// store's host tests (which also run it).
    /// </summary>
    [Fact]
    public void Every_csharp_line_in_the_documentation_is_compiled()
    {
        var root = RepositoryRoot();
        var compiled = Directory.GetFiles(Path.Combine(root, "tests", "Okr.Docs.Snippets"), "*.cs")
            .Concat(Directory.GetFiles(Path.Combine(root, "samples"), "*.cs", SearchOption.AllDirectories))
            .Append(Path.Combine(root, "tests", "Okr.Core.Tests", "Scoring", "CustomPolicyTests.cs"))
            .Append(Path.Combine(root, "tests", "Okr.Storage.EntityFrameworkCore.Tests", "HostContext.cs"))
            .Append(Path.Combine(root, "tests", "Okr.Storage.EntityFrameworkCore.Tests", "HostTransactionTests.cs"))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(File.ReadAllLines)
            .Select(l => l.Trim())
            .ToHashSet(StringComparer.Ordinal);
        var pages = Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(root, "src"), "README.md", SearchOption.AllDirectories))
            .Append(Path.Combine(root, "README.md"))
            .ToList();

        var checkedLines = 0;
        var missing = new List<string>();
        foreach (var page in pages)
        {
            foreach (Match block in CSharpBlock().Matches(File.ReadAllText(page)))
            {
                foreach (var line in block.Groups[1].Value.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
                {
                    checkedLines++;
                    if (!compiled.Contains(line))
                    {
                        missing.Add($"{Path.GetRelativePath(root, page)}: {line}");
                    }
                }
            }
        }

        Assert.True(checkedLines > 100, $"Only {checkedLines} lines of C# found in the documentation.");
        Assert.True(missing.Count == 0, "Lines of C# in the documentation that nothing compiles:\n" + string.Join('\n', missing));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Okr.Core.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Okr.Core.sln not found above the test's folder.");
    }

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
