using System.Text.RegularExpressions;

namespace Okr.Core.Tests;

/// <summary>The walkthrough pages quote the samples; a quote that no longer matches its sample fails here.</summary>
public partial class DocumentationSnippetTests
{
    [Theory]
    [InlineData("docs/getting-started.md", "samples/Okr.Samples.QuickStart")]
    [InlineData("docs/hr-integration.md", "samples/Okr.Samples.HrIntegration")]
    [InlineData("docs/reporting.md", "samples/Okr.Samples.QuickStart")]
    public void Every_snippet_line_is_in_the_sample(string page, string sample)
    {
        var root = RepositoryRoot();
        var source = string.Concat(Directory.GetFiles(Path.Combine(root, sample), "*.cs").Select(File.ReadAllText));
        var snippets = CSharpBlock().Matches(File.ReadAllText(Path.Combine(root, page))).Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(snippets);
        var missing = snippets.SelectMany(s => s.Split('\n')).Where(line => line.Trim().Length > 0 && !source.Contains(line, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"{page} quotes lines that are not in {sample}:\n{string.Join('\n', missing)}");
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
