using System.Xml.Linq;

namespace Okr.Docs.Snippets;

/// <summary>What IntelliSense shows for the packages' public API: one summary per member, never another member's.</summary>
public class XmlDocTests
{
    private static readonly string[] Packages =
    [
        "Okr.Core", "Okr.Core.DependencyInjection", "Okr.Reporting", "Okr.Storage.Sqlite", "Okr.Storage.PostgreSql", "Okr.Storage.Specification", "Okr.Storage.Common",
    ];

    [Fact]
    public void Every_documented_member_of_every_package_has_exactly_one_summary()
    {
        var doubled = new List<string>();
        foreach (var package in Packages)
        {
            var file = Path.Combine(AppContext.BaseDirectory, package + ".xml");
            Assert.True(File.Exists(file), $"{file} is missing: the package's documentation file should be copied beside its assembly.");
            foreach (var member in XDocument.Load(file).Descendants("member"))
            {
                if (member.Elements("summary").Count() > 1)
                {
                    doubled.Add($"{package}: {member.Attribute("name")?.Value}");
                }
            }
        }

        Assert.True(doubled.Count == 0, "Members with more than one summary:\n" + string.Join("\n", doubled));
    }
}
