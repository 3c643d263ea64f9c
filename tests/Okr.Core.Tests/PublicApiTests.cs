using System.Text.RegularExpressions;
using Okr.Core.Service;

namespace Okr.Core.Tests;

/// <summary>docs/api.md lists every exported type of Okr.Core once, under one role, and says how many there are.</summary>
public partial class PublicApiTests
{
    [Fact]
    public void Docs_api_md_lists_every_exported_type_once()
    {
        var page = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "api.md"));
        var listed = Row().Matches(page).Select(m => $"{m.Groups[2].Value}.{m.Groups[1].Value}").ToList();
        var exported = typeof(OkrService).Assembly.GetExportedTypes().Where(t => !t.IsNested).Select(t => t.FullName!.Split('`')[0]).ToList();

        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Equal(exported.Order(), listed.Order());
        Assert.Contains($"Okr.Core has {exported.Count} public types", page, StringComparison.Ordinal);
        var roles = Role().Matches(page).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(3, roles.Count);
        Assert.Equal(exported.Count, roles.Sum());
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

    [GeneratedRegex(@"^\| `(\w+)` \| `([\w.]+)` \|", RegexOptions.Multiline)]
    private static partial Regex Row();

    [GeneratedRegex(@"^## For [a-z ]+ \((\d+)\)$", RegexOptions.Multiline)]
    private static partial Regex Role();
}
