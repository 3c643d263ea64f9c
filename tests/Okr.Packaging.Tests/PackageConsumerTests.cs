using System.Diagnostics;
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Okr.Packaging.Tests;

/// <summary>
/// Packs every library in src/ into a local folder and builds and runs a small consumer against the .nupkg
/// files, as a user would (restoring into its own package folder, so no stale copy is used).
/// </summary>
public sealed class PackageConsumerTests : IDisposable
{
    // The GUID under which a portable pdb keeps its SourceLink JSON.
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    private static readonly string[] Packages = ["Okr.Core", "Okr.Core.DependencyInjection", "Okr.Storage.Sqlite", "Okr.Storage.PostgreSql", "Okr.Storage.Specification", "Okr.Storage.Common", "Okr.Storage.EntityFrameworkCore", "Okr.Reporting"];
    private readonly string _work = Directory.CreateTempSubdirectory("okr-consumer-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public void Packages_carry_readme_docs_symbols_and_metadata_and_a_consumer_builds_and_runs_against_them()
    {
        var root = RepositoryRoot();
        var feed = Path.Combine(_work, "feed");
        var version = Run(root, "dotnet", "msbuild src/Okr.Core/Okr.Core.csproj -getProperty:Version").Trim();

        // The build is the one ./test.sh (or dotnet test) just made; packing reuses it.
        foreach (var package in Packages)
        {
            var packOutput = Run(root, "dotnet", $"pack src/{package}/{package}.csproj -c Release --no-build -o \"{feed}\"");
            Assert.DoesNotMatch(new Regex(@"warning [A-Z]+[0-9]+", RegexOptions.None, TimeSpan.FromSeconds(5)), packOutput);
        }

        foreach (var package in Packages)
        {
            var nupkg = Path.Combine(feed, $"{package}.{version}.nupkg");
            Assert.True(File.Exists(Path.Combine(feed, $"{package}.{version}.snupkg")), $"{package} has no symbol package");
            using var zip = ZipFile.OpenRead(nupkg);
            var names = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("README.md", names);
            Assert.Contains($"lib/net10.0/{package}.dll", names);
            Assert.Contains($"lib/net10.0/{package}.xml", names);
            using var readme = new StreamReader(zip.GetEntry("README.md")!.Open());
            var text = readme.ReadToEnd();
            Assert.All(["## About", "## Key features", "## How to use", "## Main types", "## Related packages"], h => Assert.Contains(h, text, StringComparison.Ordinal));

            using var nuspecStream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
            var ns = XNamespace.Get("http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd");
            var metadata = XDocument.Load(nuspecStream).Root!.Element(ns + "metadata")!;
            Assert.Equal("MIT", metadata.Element(ns + "license")!.Value);
            Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")!.Value));
            Assert.Contains("okr", metadata.Element(ns + "tags")!.Value, StringComparison.Ordinal);
            var commit = metadata.Element(ns + "repository")!.Attribute("commit")!.Value;
            Assert.Matches("^[0-9a-f]{40}$", commit);

            AssertDeterministicWithSourceLink(zip, Path.Combine(feed, $"{package}.{version}.snupkg"), package, commit);
        }

        var consumer = Path.Combine(_work, "consumer");
        Directory.CreateDirectory(consumer);
        var template = Path.Combine(AppContext.BaseDirectory, "Consumer");
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), File.ReadAllText(Path.Combine(template, "Consumer.csproj.txt")).Replace("$(OkrVersion)", version, StringComparison.Ordinal));
        File.Copy(Path.Combine(template, "Program.cs.txt"), Path.Combine(consumer, "Program.cs"));

        // The local feed beside the sources the machine already has.
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="okr-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        var packages = Path.Combine(_work, "packages");
        Run(consumer, "dotnet", $"restore --packages \"{packages}\"");
        Run(consumer, "dotnet", $"build -c Release --no-restore");
        var output = Run(consumer, "dotnet", "run -c Release --no-build");

        Assert.Contains("OKR report", output, StringComparison.Ordinal);
        Assert.Contains("consumer ok: 1 objective, onboarding completion 0.50", output, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(packages, "okr.core", version)), "Okr.Core was restored from the local feed");
    }

    // The dll says it was built deterministically, and the pdb in the symbol package maps every source file
    // to the public repository at the commit the nuspec names.
    private static void AssertDeterministicWithSourceLink(ZipArchive nupkg, string snupkg, string package, string commit)
    {
        using (var dll = new MemoryStream())
        {
            using (var entry = nupkg.GetEntry($"lib/net10.0/{package}.dll")!.Open())
            {
                entry.CopyTo(dll);
            }

            dll.Position = 0;
            using var pe = new PEReader(dll);
            Assert.Contains(pe.ReadDebugDirectory(), d => d.Type == DebugDirectoryEntryType.Reproducible);
        }

        using var symbols = ZipFile.OpenRead(snupkg);
        using var pdb = new MemoryStream();
        using (var entry = symbols.GetEntry($"lib/net10.0/{package}.pdb")!.Open())
        {
            entry.CopyTo(pdb);
        }

        pdb.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(pdb);
        var reader = provider.GetMetadataReader();
        var blob = reader.CustomDebugInformation
            .Select(reader.GetCustomDebugInformation)
            .Where(info => reader.GetGuid(info.Kind) == SourceLinkKind)
            .Select(info => reader.GetBlobBytes(info.Value))
            .Single();
        using var sourceLink = JsonDocument.Parse(blob);
        var targets = sourceLink.RootElement.GetProperty("documents").EnumerateObject().Select(p => p.Value.GetString()).ToList();
        Assert.Contains($"https://raw.githubusercontent.com/okr-core/okr-core/{commit}/*", targets);
    }

    private static string Run(string folder, string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), $"{file} {arguments} did not finish in 5 minutes");
        var output = stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult();
        Assert.True(process.ExitCode == 0, $"{file} {arguments} failed ({process.ExitCode}):\n{output}");
        return output;
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
}
