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

    /// <summary>
    /// The figures docs/api.md gives for what is left are the PublicAPI files' own: Okr.Core's lines, and every package's,
    /// and both below what they were before the cut (issue 18: the files shrink).
    /// </summary>
    [Fact]
    public void Docs_api_md_states_the_public_api_line_counts_of_the_PublicAPI_files()
    {
        var root = RepositoryRoot();
        var page = File.ReadAllText(Path.Combine(root, "docs", "api.md"));
        static int Lines(string project) => new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" }
            .Sum(f => File.ReadLines(Path.Combine(project, f)).Count(l => l.Length > 0 && !l.StartsWith('#')));
        var packages = Directory.GetDirectories(Path.Combine(root, "src")).Where(d => File.Exists(Path.Combine(d, "PublicAPI.Unshipped.txt"))).ToList();
        Assert.True(packages.Count >= 7, "The PublicAPI files of every package are found.");
        var core = Lines(Path.Combine(root, "src", "Okr.Core"));
        var all = packages.Sum(Lines);

        var coreRow = CountRow("Okr.Core").Match(page);
        var allRow = CountRow("all packages").Match(page);
        Assert.True(coreRow.Success && allRow.Success, "docs/api.md has a row of counts for Okr.Core and for all packages.");
        Assert.Equal(core, Count(coreRow.Groups["now"].Value));
        Assert.Equal(all, Count(allRow.Groups["now"].Value));
        // Features added after the cut (issue 19's cycle) grow the surface again, and the page names them; the cut itself must hold.
        Assert.True(core < Count(coreRow.Groups["before"].Value), $"Okr.Core's {core} lines are fewer than before the cut.");
        Assert.True(all < Count(allRow.Groups["before"].Value), $"All packages' {all} lines are fewer than before the cut.");
    }

    private static int Count(string text) => int.Parse(text, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);

    private static Regex CountRow(string package) =>
        new($@"^\| {Regex.Escape(package)} \| *(?<filed>[\d,]*) *\| (?<before>[\d,]+) \| (?<now>[\d,]+) \|$", RegexOptions.Multiline);

    /// <summary>
    /// Okr.Core's layout: one public type per file, named after it (<c>Type.cs</c>, or <c>Type.Part.cs</c> for a part of a
    /// partial type), in the folder its namespace names (<c>Okr.Core.Scoring</c> in <c>Scoring/</c>, <c>Okr.Core</c> at the top).
    /// </summary>
    [Fact]
    public void Each_public_type_of_Okr_Core_has_a_file_of_its_own_in_its_namespaces_folder()
    {
        var project = Path.Combine(RepositoryRoot(), "src", "Okr.Core");
        var files = Directory.GetFiles(project, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        var problems = new List<string>();
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var relative = Path.GetRelativePath(project, file);
            var folder = Path.GetDirectoryName(relative)!;
            var expected = folder.Length == 0 ? "Okr.Core" : "Okr.Core." + folder.Replace(Path.DirectorySeparatorChar, '.');
            var ns = Namespace().Match(text).Groups[1].Value;
            if (ns != expected)
            {
                problems.Add($"{relative}: namespace {ns}, folder says {expected}");
            }

            var types = PublicType().Matches(text).Select(m => m.Groups[1].Value).Distinct().ToList();
            var stem = Path.GetFileNameWithoutExtension(file).Split('.')[0];
            if (types.Count > 1 || (types.Count == 1 && types[0] != stem))
            {
                problems.Add($"{relative}: {string.Join(", ", types)}");
            }
        }

        Assert.True(files.Count > 100, $"Only {files.Count} files found under {project}.");
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"^public (?:sealed |abstract |static |readonly |partial )*(?:record struct|record|class|interface|enum|struct) (\w+)", RegexOptions.Multiline)]
    private static partial Regex PublicType();

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
