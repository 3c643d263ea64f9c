using System.Reflection;
using System.Text.RegularExpressions;

namespace Okr.Core.Tests;

/// <summary>docs/errors.md lists every code of <see cref="OkrErrorCodes"/> once, with its constant, and nothing else.</summary>
public partial class ErrorCodeCatalogueTests
{
    [Fact]
    public void Docs_errors_md_lists_every_code_once_and_nothing_else()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Okr.Core.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Okr.Core.sln not found above the test's folder.");
        }

        var page = File.ReadAllText(Path.Combine(root, "docs", "errors.md"));
        var listed = Row().Matches(page).Select(m => (Code: m.Groups[1].Value, Name: m.Groups[2].Value)).ToList();
        var constants = typeof(OkrErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (Code: (string)f.GetRawConstantValue()!, f.Name))
            .ToList();

        Assert.True(constants.Count >= 30, "The codes are found.");
        Assert.Equal(listed.Count, listed.Select(l => l.Code).Distinct().Count());
        Assert.Equal(constants.OrderBy(c => c.Code, StringComparer.Ordinal), listed.OrderBy(c => c.Code, StringComparer.Ordinal));
        Assert.All(constants, c => Assert.Matches("^okr(\\.[a-z_]+)+$", c.Code));
    }

    [GeneratedRegex(@"^\| `(okr\.[a-z_.]+)` \| `(\w+)` \|", RegexOptions.Multiline)]
    private static partial Regex Row();
}
