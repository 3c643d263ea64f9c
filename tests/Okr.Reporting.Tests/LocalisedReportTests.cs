using System.Collections;
using System.Globalization;
using System.Net;
using System.Resources;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Testing;
using Okr.Core;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Reporting.Tests;

/// <summary>
/// Reports in German, French and Norwegian Bokmål: every text comes from the resources, none of the English ones is
/// left in what a reader sees (the words of the HTML, Markdown and terminal reports, running and closed), and numbers,
/// percentages and dates follow the culture.
/// </summary>
public partial class LocalisedReportTests
{
    private static readonly Instant Start = Instant.FromUtc(2026, 1, 1, 9, 0);
    private static readonly ResourceManager Resources = ReportText.Resources;

    public static TheoryData<string> Cultures => new() { "de-DE", "nb-NO", "fr-FR" };

    [Fact]
    public void Every_text_has_a_translation_with_the_same_placeholders_in_each_shipped_language()
    {
        var english = Texts(CultureInfo.InvariantCulture);
        Assert.True(english.Count >= 70, $"{english.Count} texts.");
        foreach (var language in new[] { "de", "fr", "nb" })
        {
            var translated = Texts(CultureInfo.GetCultureInfo(language));
            Assert.Equal(english.Keys.Order(), translated.Keys.Order());
            foreach (var (key, text) in english)
            {
                Assert.False(string.IsNullOrWhiteSpace(translated[key]), $"{language}: {key} is empty.");
                Assert.Equal(Placeholders(text), Placeholders(translated[key]));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public async Task A_report_in_another_language_shows_no_english_text(string name)
    {
        var culture = CultureInfo.GetCultureInfo(name);
        var (running, closed) = await PlayAsync();
        var english = Texts(CultureInfo.InvariantCulture);
        var translated = Texts(culture.Parent);
        var rendered = new List<(string What, string Text)>();
        foreach (var (state, report) in new[] { ("running", running), ("closed", closed) })
        {
            var terminal = new StringWriter();
            TerminalReport.Write(report, terminal, new TerminalReportOptions { Rich = false, Culture = culture });
            rendered.Add(($"{state} HTML", VisibleText(HtmlReport.Render(report, culture))));
            rendered.Add(($"{state} Markdown", MarkdownReport.Render(report, culture)));
            rendered.Add(($"{state} terminal", terminal.ToString()));
        }

        // No English fragment (the words between a text's placeholders) is left, unless the language uses it too.
        var fragments = english
            .SelectMany(e => Placeholder().Split(e.Value).Select(f => (e.Key, Fragment: f.Trim(' ', ',', '.', ';', ':', '(', ')', '…', '*'))))
            .Where(x => x.Fragment.Length >= 3 && x.Fragment.Any(char.IsLetter) && !translated.Values.Any(v => v.Contains(x.Fragment, StringComparison.Ordinal)))
            .ToList();
        Assert.True(fragments.Count > 60, $"{fragments.Count} English fragments to look for.");
        foreach (var (what, text) in rendered)
        {
            foreach (var (key, fragment) in fragments)
            {
                Assert.False(Regex.IsMatch(text, $@"(?<!\p{{L}}){Regex.Escape(fragment)}(?!\p{{L}})"), $"The {name} {what} report shows the English \"{fragment}\" ({key}).");
            }
        }

        // And the translations are what it shows: the headings, health, met or missed, the columns.
        var all = string.Join("\n", rendered.Select(r => r.Text));
        var shown = translated.Where(t => !t.Value.Contains('{', StringComparison.Ordinal) && all.Contains(t.Value, StringComparison.Ordinal)).Select(t => t.Key).ToHashSet();
        foreach (var key in new[] { "Heading.Tree", "Heading.AtRisk", "Heading.Stale", "Heading.Missed", "Heading.Overridden", "Heading.Coverage", "Heading.ChartsPace", "Heading.ChartsClosed", "Health.OnTrack", "Health.OffTrack", "Health.Stale", "Met", "Missed", "Column.LastCheckIn", "Column.SetBy", "Chart.Today", "PeriodScore", "FinalScore", "Never" })
        {
            Assert.Contains(key, shown);
        }
    }

    [Fact]
    public async Task Numbers_percentages_and_dates_follow_the_culture()
    {
        var (running, _) = await PlayAsync();

        // Percentages as the culture writes them (with .NET's ICU data, "40 %" in German, French and Norwegian).
        static string Percent(double value, string culture) => value.ToString("P0", CultureInfo.GetCultureInfo(culture));

        var german = VisibleText(HtmlReport.Render(running, CultureInfo.GetCultureInfo("de-DE")));
        Assert.Contains("01.01.2026 bis 31.03.2026", german, StringComparison.Ordinal);
        Assert.Contains(Percent(running.Summary.Score!.Value, "de-DE"), german, StringComparison.Ordinal);
        Assert.Contains("bei oder über 99,5" + Percent(0, "de-DE")[1..], german, StringComparison.Ordinal);   // a decimal comma in a value
        Assert.DoesNotContain("2026-01-01", german, StringComparison.Ordinal);
        Assert.DoesNotContain("99.5", german, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"de-DE\">", HtmlReport.Render(running, CultureInfo.GetCultureInfo("de-DE")), StringComparison.Ordinal);

        var norwegian = MarkdownReport.Render(running, CultureInfo.GetCultureInfo("nb-NO"));
        Assert.Contains("01.01.2026 til 31.03.2026", norwegian, StringComparison.Ordinal);
        Assert.Contains("på eller over 99,5" + Percent(0, "nb-NO")[1..], VisibleText(HtmlReport.Render(running, CultureInfo.GetCultureInfo("nb-NO"))), StringComparison.Ordinal);

        var french = VisibleText(HtmlReport.Render(running, CultureInfo.GetCultureInfo("fr-FR")));
        Assert.Contains("du 01/01/2026 au 31/03/2026", french, StringComparison.Ordinal);
        Assert.Contains(Percent(running.Summary.Score!.Value, "fr-FR"), french, StringComparison.Ordinal);

        var us = VisibleText(HtmlReport.Render(running, CultureInfo.GetCultureInfo("en-US")));
        Assert.Contains("1/1/2026 to 3/31/2026", us, StringComparison.Ordinal);   // English words, American dates
        Assert.Contains("at or above 99.5%", us, StringComparison.Ordinal);

        // Without a culture: English, ISO dates, invariant numbers, as before.
        var invariant = VisibleText(HtmlReport.Render(running));
        Assert.Contains("2026-01-01 to 2026-03-31", invariant, StringComparison.Ordinal);
        Assert.Contains("at or above 99.5 %", invariant, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_language_we_do_not_ship_falls_back_to_english_with_its_own_numbers()
    {
        var (running, _) = await PlayAsync();

        var spanish = VisibleText(HtmlReport.Render(running, CultureInfo.GetCultureInfo("es-ES")));

        Assert.Contains("Alignment tree", spanish, StringComparison.Ordinal);
        Assert.Contains("1/1/2026 to 31/3/2026", spanish, StringComparison.Ordinal);   // Spanish dates
    }

    [Fact]
    public async Task A_tenants_culture_is_what_a_report_renders_in_when_the_caller_gives_none()
    {
        var (running, _) = await PlayAsync(new OkrServiceOptions { TenantSettings = new GermanTenants() });

        Assert.Equal("de-DE", running.Culture?.Name);
        Assert.Contains("Ausrichtungsbaum", HtmlReport.Render(running), StringComparison.Ordinal);
        Assert.Contains("01.01.2026 bis 31.03.2026", MarkdownReport.Render(running), StringComparison.Ordinal);
        var terminal = new StringWriter();
        TerminalReport.Write(running, terminal, new TerminalReportOptions { Rich = false });
        Assert.Contains("Ausrichtungsbaum", terminal.ToString() + HtmlReport.Render(running), StringComparison.Ordinal);
        Assert.Contains("Gefährdet", terminal.ToString(), StringComparison.Ordinal);
        Assert.Contains("Alignment tree", HtmlReport.Render(running, CultureInfo.GetCultureInfo("en-GB")), StringComparison.Ordinal);   // the caller's wins
        Assert.Null((await PlayAsync()).Running.Culture);
    }

    private sealed class GermanTenants : IOkrTenantSettingsProvider
    {
        public ValueTask<OkrTenantSettings?> GetAsync(TenantId tenant, CancellationToken cancellationToken) =>
            ValueTask.FromResult<OkrTenantSettings?>(new OkrTenantSettings { Culture = CultureInfo.GetCultureInfo("de-DE") });
    }

    /// <summary>What a reader sees of an HTML report: its text and its charts' labels, without markup, styles or class names.</summary>
    private static string VisibleText(string html)
    {
        var labels = string.Join("\n", AriaLabel().Matches(html).Select(m => m.Groups[1].Value));
        var text = Tags().Replace(Style().Replace(html, string.Empty), "\n");
        return WebUtility.HtmlDecode(text + "\n" + labels);
    }

    private static Dictionary<string, string> Texts(CultureInfo culture)
    {
        var set = Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)
            ?? throw new InvalidOperationException($"No resources for '{culture.Name}'.");
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
    }

    private static string[] Placeholders(string text) => [.. PlaceholderName().Matches(text).Select(m => m.Value).Order()];

    private static async Task<(PeriodReport Running, PeriodReport Closed)> PlayAsync(OkrServiceOptions? settings = null)
    {
        var clock = new FakeClock(Start);
        var okr = new OkrService(new InMemoryOkrStore(), clock, settings);
        var tenant = new TenantId(Guid.NewGuid());
        var quarter = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1));
        await okr.Periods.ActivateAsync(tenant, quarter.Id);

        KeyResult Kr(string title, Measure? measure = null) => new(new KeyResultId(Guid.NewGuid()), title, measure ?? new IncreaseMeasure(0, 100));
        async Task<Objective> Create(string title, OwnerRef owner, KeyResult[] krs, params AlignmentLink[] links)
        {
            var o = await okr.Objectives.CreateAsync(tenant, Objective.Create(new ObjectiveId(Guid.NewGuid()), quarter.Id, title, owner, clock, keyResults: krs, alignments: links));
            return await okr.Objectives.ActivateAsync(tenant, o.Id);
        }

        var firma = await Create("Marktführerschaft DACH", OwnerRef.OrganizationUnit("firma"), [Kr("Umsatz"), Kr("Verfügbarkeit", new StayAboveMeasure(99.5m, MeasureUnit.Percent)), Kr("Neukunden")]);
        var vertrieb = await Create("Vertrieb wächst", OwnerRef.Team("vertrieb"), [Kr("Abschlüsse"), Kr("Angebote"), Kr("Nie gemeldet")], new AlignmentLink(firma.Id));
        var support = await Create("Support begeistert", OwnerRef.Team("support"), [Kr("Zufriedenheit"), Kr("Antwortzeit"), Kr("Handbuch")], new AlignmentLink(firma.Id));
        for (var week = 1; week <= 7; week++)
        {
            clock.Advance(Duration.FromDays(7));
            foreach (var (kr, value) in new[] { (vertrieb.KeyResults[0], week * 8m), (vertrieb.KeyResults[1], week * 8m), (support.KeyResults[0], week * 1m), (support.KeyResults[1], week * 1m), (support.KeyResults[2], week * 1m), (firma.KeyResults[0], week * 7m), (firma.KeyResults[1], 99.7m), (firma.KeyResults[2], week * 7m) })
            {
                await okr.CheckIns.RecordAsync(tenant, kr.Id, value, OwnerRef.Person("anna"));
            }
        }

        var history = await okr.CheckIns.HistoryAsync(tenant, firma.KeyResults[2].Id);
        await okr.CheckIns.CorrectAsync(tenant, history[^1].Id, 48, OwnerRef.Person("anna"), "Tippfehler");
        await okr.CheckIns.RecordAsync(tenant, firma.KeyResults[2].Id, 50, OwnerRef.Person("anna"), effectiveAt: clock.GetCurrentInstant() - Duration.FromDays(3));   // back-filled: "(recorded …)"
        var options = new ReportOptions { MaxListed = 1, Charts = ChartSelection.All };
        var running = await PeriodReport.CreateAsync(okr, tenant, quarter.Id, options);

        clock.Advance(Duration.FromDays(50));
        await okr.Periods.CloseAsync(tenant, quarter.Id, new Dictionary<ObjectiveId, GradeOverride> { [support.Id] = new(0.5, OwnerRef.Person("vorstand"), "Personalmangel im Januar") });
        var closed = await PeriodReport.CreateAsync(okr, tenant, quarter.Id, options);
        return (running, closed);
    }

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex PlaceholderName();

    [GeneratedRegex("aria-label=\"([^\"]*)\"")]
    private static partial Regex AriaLabel();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex("<style>.*?</style>", RegexOptions.Singleline)]
    private static partial Regex Style();
}
