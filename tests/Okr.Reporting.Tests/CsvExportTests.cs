using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using nietras.SeparatedValues;
using NodaTime;
using NodaTime.Testing;
using NodaTime.Text;
using Okr.Core;
using Okr.Core.Service;
using Okr.Core.Storage;
using Okr.Testing;

namespace Okr.Reporting.Tests;

/// <summary>
/// The CSV exports read back with Sep: every figure equals the summary's (random periods, scopes, cultures, page
/// sizes), every check-in of the period is there once, text round-trips through RFC 4180 quoting, hidden objectives
/// leave no trace, bad options write nothing, and rows reach the output page by page with asynchronous writes only.
/// </summary>
public class CsvExportTests
{
    private static readonly (CultureInfo? Culture, char Separator)[] Formats =
    [
        (null, ','),
        (CultureInfo.GetCultureInfo("de-DE"), ';'),
        (CultureInfo.GetCultureInfo("nb-NO"), ';'),
        (CultureInfo.GetCultureInfo("fr-FR"), ','),   // decimal commas in a comma-separated file: quoted
        (null, '\t'),
    ];

    [Property(MaxTest = 60)]
    public Property Exports_read_back_equal_the_summarys_figures_and_every_check_in() =>
        Prop.ForAll(AlignmentGen.Dag(20).Zip(AlignmentGen.Scoring).Zip(Gen.Choose(0, int.MaxValue)).ToArbitrary(), input =>
        {
            var ((dag, scoring), seed) = input;
            var okr = SummaryWorld.Create(dag, scoring, seed, SummaryWorld.LastRecorded + Duration.FromDays(seed % 14));
            var (tenant, period) = (SummaryWorld.Tenant, SummaryWorld.Period);
            var random = new Random(seed);
            var (culture, separator) = Formats[random.Next(Formats.Length)];
            var someone = dag.Objectives[random.Next(dag.Objectives.Count)];
            SummaryScope?[] scopes = [null, new SummaryScope { Subtree = someone.Id }, new SummaryScope { Owners = [someone.Owner] }];
            var scope = scopes[random.Next(scopes.Length)];
            var options = new CsvExportOptions { Culture = culture, Separator = separator, PageSize = random.Next(1, 8), Scope = scope };
            var summary = okr.Progress.SummarizeAsync(tenant, period, scope).AsTask().GetAwaiter().GetResult();
            var number = culture ?? CultureInfo.InvariantCulture;

            // Objectives: the summary's, in its order, with its figures.
            var objectives = Read(Export(CsvExport.WriteObjectivesAsync, okr, options), separator, CsvExport.ObjectiveColumns);
            Assert.Equal(summary.Objectives.Select(s => s.Progress.Objective.Id.ToString()), objectives.Select(r => r["objective_id"]));
            foreach (var (s, row) in summary.Objectives.Zip(objectives))
            {
                Assert.Equal(s.Progress.Progress, Double(row["progress"], number));
                Assert.Equal(s.Health.ExpectedProgress, Double(row["expected_progress"], number));
                Assert.Equal(CsvExport.Code(s.Health.Status.ToString()), row["health"]);
                Assert.Equal(s.Progress.Objective.Owner.ToString(), row["owner"]);
                Assert.Equal(string.Join(' ', s.Progress.Objective.Alignments.Select(a => a.ParentObjectiveId)), row["aligned_to"]);
                Assert.Equal(string.Empty, row["grade"]);
            }

            // Key results: every one of the shown objectives, with the value in force and the summary's figures.
            var keyResults = Read(Export(CsvExport.WriteKeyResultsAsync, okr, options), separator, CsvExport.KeyResultColumns);
            var statuses = summary.Objectives.SelectMany(s => s.KeyResults).ToList();
            Assert.Equal(statuses.Select(k => k.Progress.KeyResult.Id.ToString()), keyResults.Select(r => r["key_result_id"]));
            foreach (var (k, row) in statuses.Zip(keyResults))
            {
                Assert.Equal(k.Progress.Progress, Double(row["progress"], number));
                Assert.Equal(k.Latest?.Value, row["value"] is { Length: > 0 } v ? decimal.Parse(v, number) : null);
                Assert.Equal(k.Latest is { } l ? InstantPattern.ExtendedIso.Format(l.EffectiveAt) : string.Empty, row["effective_at"]);
                Assert.Equal(k.Latest is { } r ? InstantPattern.ExtendedIso.Format(r.RecordedAt) : string.Empty, row["recorded_at"]);
                Assert.Equal(k.Progress.KeyResult.IsCancelled ? string.Empty : CsvExport.Code(k.Health.Status.ToString()), row["health"]);
                Assert.Equal(k.Progress.KeyResult.Weight, double.Parse(row["weight"], number));
            }

            // Check-ins: each of the shown key results' histories, whole, once.
            var checkIns = Read(Export(CsvExport.WriteCheckInsAsync, okr, options), separator, CsvExport.CheckInColumns);
            var histories = okr.CheckIns.HistoriesAsync(tenant, [.. statuses.Select(k => k.Progress.KeyResult.Id)]).AsTask().GetAwaiter().GetResult();
            var expected = histories.Values.SelectMany(h => h).ToDictionary(c => c.Id.ToString());
            Assert.Equal(expected.Keys.Order(), checkIns.Select(r => r["check_in_id"]).Order());
            foreach (var row in checkIns)
            {
                var c = expected[row["check_in_id"]];
                Assert.Equal((c.KeyResultId.ToString(), c.Value, c.Author.ToString(), c.Corrects?.ToString() ?? string.Empty, c.Note, c.Confidence?.Value), (row["key_result_id"], decimal.Parse(row["value"], number), row["author"], row["corrects"], row["note"], row["confidence"] is { Length: > 0 } x ? double.Parse(x, number) : null));
                Assert.Equal((InstantPattern.ExtendedIso.Format(c.EffectiveAt), InstantPattern.ExtendedIso.Format(c.RecordedAt)), (row["effective_at"], row["recorded_at"]));
            }

            // Closed, with one grade set by a person: grades, computed grades, met and the override with who and why.
            var active = summary.Objectives.Where(s => s.Progress.Objective.State == ObjectiveState.Active).Select(s => s.Progress.Objective.Id).ToList();
            ObjectiveId? overridden = active.Count > 0 ? active[random.Next(active.Count)] : null;
            var reason = "Scope changed, \"agreed\"; see\nnotes";
            var overrides = overridden is { } chosen ? new Dictionary<ObjectiveId, GradeOverride> { [chosen] = new(0.5, OwnerRef.Person("vp"), reason) } : null;
            var assessment = okr.Periods.CloseAsync(tenant, period, overrides).AsTask().GetAwaiter().GetResult();
            var graded = assessment.Objectives.ToDictionary(a => a.Objective.Id.ToString());
            var closed = Read(Export(CsvExport.WriteObjectivesAsync, okr, options), separator, CsvExport.ObjectiveColumns);
            Assert.Equal(summary.Objectives.Count, closed.Count);
            foreach (var row in closed)
            {
                Assert.Equal((string.Empty, string.Empty), (row["health"], row["expected_progress"]));
                if (!graded.TryGetValue(row["objective_id"], out var a))
                {
                    Assert.Equal(string.Empty, row["grade"]);
                    continue;
                }

                Assert.Equal((a.Grade.Value, a.Grade.Computed, a.Met ? "true" : "false"), (Double(row["grade"], number), Double(row["computed_grade"], number), row["met"]));
                Assert.Equal(a.Objective.Id == overridden ? ("person:vp", reason) : (string.Empty, string.Empty), (row["overridden_by"], row["override_reason"]));
            }

            return true;
        });

    [Fact]
    public async Task Text_round_trips_through_quoting_and_formulas_are_defused_unless_turned_off()
    {
        var (okr, tenant, period, objective) = await OneObjectiveAsync("Grow \"EU\", then; =the world", "=HYPERLINK(\"http://x\")\r\nsecond line");
        var directory = new Names(new() { [OwnerRef.Team("sales")] = "Sales; EMEA", [OwnerRef.Person("ann")] = "+Ann" });

        var rows = Read(await ExportAsync(CsvExport.WriteObjectivesAsync, okr, tenant, period, new CsvExportOptions { Owners = directory }), ',', CsvExport.ObjectiveColumns);
        Assert.Equal(("Grow \"EU\", then; =the world", "Sales; EMEA", objective.Id.ToString()), (rows[0]["title"], rows[0]["owner_name"], rows[0]["objective_id"]));

        var checkIns = Read(await ExportAsync(CsvExport.WriteCheckInsAsync, okr, tenant, period, new CsvExportOptions { Owners = directory }), ',', CsvExport.CheckInColumns);
        Assert.Equal(("'=HYPERLINK(\"http://x\")\r\nsecond line", "'+Ann"), (checkIns[0]["note"], checkIns[0]["author_name"]));
        var raw = Read(await ExportAsync(CsvExport.WriteCheckInsAsync, okr, tenant, period, new CsvExportOptions { Owners = directory, ProtectFormulas = false }), ',', CsvExport.CheckInColumns);
        Assert.Equal(("=HYPERLINK(\"http://x\")\r\nsecond line", "+Ann", "-5"), (raw[0]["note"], raw[0]["author_name"], raw[0]["value"]));
        Assert.Equal("-5", checkIns[0]["value"]);   // numbers are never changed
    }

    [Fact]
    public async Task Numbers_follow_the_culture_given_and_are_invariant_otherwise()
    {
        var (okr, tenant, period, _) = await OneObjectiveAsync("Revenue", "half", value: 1234.5m);

        var invariant = await ExportAsync(CsvExport.WriteKeyResultsAsync, okr, tenant, period, null);
        var german = await ExportAsync(CsvExport.WriteKeyResultsAsync, okr, tenant, period, new CsvExportOptions { Culture = CultureInfo.GetCultureInfo("de-DE"), Separator = ';' });

        Assert.Equal("1234.5", Read(invariant, ',', CsvExport.KeyResultColumns)[0]["value"]);
        Assert.Equal("1234,5", Read(german, ';', CsvExport.KeyResultColumns)[0]["value"]);
        Assert.StartsWith("period_id;objective_id;key_result_id;title;", german, StringComparison.Ordinal);
        Assert.Contains(";2026-01-08T09:00:00Z;", german, StringComparison.Ordinal);   // instants stay ISO 8601 in UTC
    }

    [Fact]
    public async Task Instants_keep_every_digit_below_the_second()
    {
        var (okr, tenant, period, objective) = await OneObjectiveAsync("Revenue", "n");
        var start = Instant.FromUtc(2026, 1, 7, 9, 0);
        var instants = new[] { start + Duration.FromMilliseconds(1500), start + Duration.FromTicks(1), start + Duration.FromNanoseconds(50) };
        foreach (var at in instants)
        {
            await okr.CheckIns.RecordAsync(tenant, objective.KeyResults[1].Id, 1, OwnerRef.Person("ann"), effectiveAt: at);
        }

        var rows = Read(await ExportAsync(CsvExport.WriteCheckInsAsync, okr, tenant, period, null), ',', CsvExport.CheckInColumns);

        Assert.Equal(
            ["2026-01-07T09:00:00.00000005Z", "2026-01-07T09:00:00.0000001Z", "2026-01-07T09:00:01.5Z"],
            rows.Where(r => r["key_result_id"] == objective.KeyResults[1].Id.ToString()).Select(r => r["effective_at"]));
        Assert.All(instants, i => Assert.Contains(rows, r => InstantPattern.ExtendedIso.Parse(r["effective_at"]).Value == i));
    }

    [Fact]
    public async Task An_export_for_an_actor_holds_nothing_of_what_they_may_not_read()
    {
        var store = new InMemoryOkrStore();
        var (okr, tenant, period, shown) = await OneObjectiveAsync("Visible to all", "seen", store: store);
        var secret = await okr.Objectives.CreateAsync(tenant, Objective.Create(new ObjectiveId(Guid.NewGuid()), period, "Secret merger", OwnerRef.Team("board"), okr.Clock,
            keyResults: Krs("Due diligence"), alignments: [new AlignmentLink(shown.Id)]));
        await okr.Objectives.ActivateAsync(tenant, secret.Id);
        await okr.CheckIns.RecordAsync(tenant, secret.KeyResults[0].Id, 3, OwnerRef.Person("cfo"), note: "board only");
        await okr.Objectives.EditAsync(tenant, secret.Id, (o, c) => o.WithVisibility(Visibility.Private, c));
        var guest = new OkrService(store, okr.Clock, new OkrServiceOptions { AccessPolicy = new NobodyIsRelated() }).As(OwnerRef.Person("guest"));

        foreach (var write in new Write[] { CsvExport.WriteObjectivesAsync, CsvExport.WriteKeyResultsAsync, CsvExport.WriteCheckInsAsync })
        {
            var text = await ExportAsync(write, guest, tenant, period, new CsvExportOptions { PageSize = 1 });
            foreach (var leak in new[] { "Secret merger", "Due diligence", "team:board", "board only", "person:cfo", secret.Id.ToString(), secret.KeyResults[0].Id.ToString() })
            {
                Assert.DoesNotContain(leak, text, StringComparison.Ordinal);
            }
        }

        // The system sees it.
        Assert.Contains("Secret merger", await ExportAsync(CsvExport.WriteObjectivesAsync, okr, tenant, period, null), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_options_or_a_missing_period_write_nothing()
    {
        var (okr, tenant, period, _) = await OneObjectiveAsync("Revenue", "note");
        foreach (var write in new Write[] { CsvExport.WriteObjectivesAsync, CsvExport.WriteKeyResultsAsync, CsvExport.WriteCheckInsAsync })
        {
            var output = new StringWriter();
            var bad = await Assert.ThrowsAsync<OkrValidationException>(() => write(okr, tenant, period, output, new CsvExportOptions { Separator = '"', PageSize = 0 }, default).AsTask());
            Assert.Equal(["Separator", "PageSize"], bad.Violations.Select(v => v.Member));
            Assert.Contains("between 1 and 10000; it is 0", bad.Violations[1].Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<OkrNotFoundException>(() => write(okr, tenant, new PeriodId(Guid.NewGuid()), output, null, default).AsTask());
            await Assert.ThrowsAsync<OkrNotFoundException>(() => write(okr, tenant, period, output, new CsvExportOptions { Scope = new SummaryScope { Subtree = new ObjectiveId(Guid.NewGuid()) } }, default).AsTask());
            Assert.Equal(string.Empty, output.ToString());
        }

        Assert.Equal((',', 500, true, (CultureInfo?)null), (CsvExportOptions.Default.Separator, CsvExportOptions.Default.PageSize, CsvExportOptions.Default.ProtectFormulas, CsvExportOptions.Default.Culture));
        new CsvExportOptions { Separator = '\t', PageSize = CsvExportOptions.MaxPageSize }.Validate();
    }

    [Fact]
    public void Codes_are_the_members_in_lower_snake_case()
    {
        Assert.Equal(
            ["on_track", "at_risk", "off_track", "stale", "no_data", "stay_above", "within_range", "aspirational"],
            new[] { "OnTrack", "AtRisk", "OffTrack", "Stale", "NoData", "StayAbove", "WithinRange", "Aspirational" }.Select(CsvExport.Code));
    }

    [Fact]
    public async Task An_empty_period_exports_the_header_alone()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 1, 9, 0));
        var okr = new OkrService(new InMemoryOkrStore(), clock);
        var tenant = new TenantId(Guid.NewGuid());
        var period = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1));

        Assert.Equal(string.Join(',', CsvExport.CheckInColumns) + "\n", await ExportAsync(CsvExport.WriteCheckInsAsync, okr, tenant, period.Id, null));
        Assert.Equal(string.Join(',', CsvExport.ObjectiveColumns) + "\n", await ExportAsync(CsvExport.WriteObjectivesAsync, okr, tenant, period.Id, null));
    }

    [Fact]
    public async Task Check_ins_reach_the_output_a_page_at_a_time_with_asynchronous_writes_only()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 1, 9, 0));
        var store = new PageCountingStore(new InMemoryOkrStore());
        var okr = new OkrService(store, clock);
        var tenant = new TenantId(Guid.NewGuid());
        var period = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1));
        await okr.Periods.ActivateAsync(tenant, period.Id);
        for (var i = 0; i < 10; i++)
        {
            var o = await okr.Objectives.CreateAsync(tenant, Objective.Create(new ObjectiveId(Guid.NewGuid()), period.Id, $"Objective {i}", OwnerRef.Team($"t{i}"), clock,
                keyResults: Krs("KR")));
            await okr.Objectives.ActivateAsync(tenant, o.Id);
            await okr.CheckIns.RecordAsync(tenant, o.KeyResults[0].Id, i, OwnerRef.Person("ann"));
        }

        var output = new AsyncOnlyWriter(store);
        var rows = await CsvExport.WriteCheckInsAsync(okr, tenant, period.Id, output, new CsvExportOptions { PageSize = 2 });

        Assert.Equal(10, rows);
        Assert.Equal(11, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(6, store.Pages);   // five full pages of two, then the empty one that ends it
        // The first rows were written while the second page was being read, long before the last: nothing waits for the
        // whole period, and at most two pages are held (one written, the next read).
        Assert.Equal(2, output.PagesReadAtFirstWrite);
    }

    private delegate ValueTask<int> Write(OkrService okr, TenantId tenant, PeriodId period, TextWriter output, CsvExportOptions? options, CancellationToken cancellationToken);

    private static string Export(Write write, OkrService okr, CsvExportOptions options) =>
        ExportAsync(write, okr, SummaryWorld.Tenant, SummaryWorld.Period, options).GetAwaiter().GetResult();

    private static async Task<string> ExportAsync(Write write, OkrService okr, TenantId tenant, PeriodId period, CsvExportOptions? options)
    {
        var output = new StringWriter();
        var rows = await write(okr, tenant, period, output, options, default);
        var text = output.ToString();
        Assert.Equal(rows + 1, Read(text, options?.Separator ?? ',', null).Count + 1);
        return text;
    }

    /// <summary>The rows of an export, read with Sep, by column name; the header must be the given columns.</summary>
    private static List<Dictionary<string, string>> Read(string csv, char separator, IReadOnlyList<string>? columns)
    {
        using var reader = Sep.New(separator).Reader(o => o with { Unescape = true, CultureInfo = CultureInfo.InvariantCulture }).FromText(csv);
        var names = reader.Header.ColNames;
        if (columns is not null)
        {
            Assert.Equal(columns, names);
        }

        var rows = new List<Dictionary<string, string>>();
        foreach (var row in reader)
        {
            var fields = new Dictionary<string, string>();
            for (var i = 0; i < names.Count; i++)
            {
                fields[names[i]] = row[i].ToString();
            }

            rows.Add(fields);
        }

        return rows;
    }

    private static double? Double(string text, CultureInfo culture) => text.Length == 0 ? null : double.Parse(text, culture);

    private static async Task<(OkrService Okr, TenantId Tenant, PeriodId Period, Objective Objective)> OneObjectiveAsync(string title, string note, decimal value = -5, IOkrStore? store = null)
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 1, 1, 9, 0));
        var okr = new OkrService(store ?? new InMemoryOkrStore(), clock);
        var tenant = new TenantId(Guid.NewGuid());
        var period = await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(new PeriodId(Guid.NewGuid()), 2026, 1));
        await okr.Periods.ActivateAsync(tenant, period.Id);
        var o = await okr.Objectives.CreateAsync(tenant, Objective.Create(new ObjectiveId(Guid.NewGuid()), period.Id, title, OwnerRef.Team("sales"), clock,
            keyResults: [new KeyResult(new KeyResultId(Guid.NewGuid()), "Revenue", new IncreaseMeasure(-10, 2000)), .. Krs("Other")]));
        o = await okr.Objectives.ActivateAsync(tenant, o.Id);
        clock.Advance(Duration.FromDays(7));
        await okr.CheckIns.RecordAsync(tenant, o.KeyResults[0].Id, value, OwnerRef.Person("ann"), note: note);
        return (okr, tenant, period.Id, o);
    }

    private static KeyResult[] Krs(string title) =>
        [.. Enumerable.Range(1, 3).Select(i => new KeyResult(new KeyResultId(Guid.NewGuid()), $"{title} {i}", new IncreaseMeasure(0, 10)))];

    private sealed class Names(Dictionary<OwnerRef, string> names) : IOwnerDirectory
    {
        public ValueTask<IReadOnlyDictionary<OwnerRef, string>> GetDisplayNamesAsync(TenantId tenant, IReadOnlyCollection<OwnerRef> owners, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyDictionary<OwnerRef, string>>(owners.Where(names.ContainsKey).ToDictionary(o => o, o => names[o]));
    }

    private sealed class NobodyIsRelated : Core.Access.IOkrAccessPolicy
    {
        public ValueTask<Core.Access.OkrRelation> RelationAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) => ValueTask.FromResult(Core.Access.OkrRelation.None);

        public ValueTask<bool> CanWriteAsync(TenantId tenant, OwnerRef actor, OwnerRef owner, CancellationToken cancellationToken) => ValueTask.FromResult(false);

        public ValueTask<bool> CanManagePeriodsAsync(TenantId tenant, OwnerRef actor, CancellationToken cancellationToken) => ValueTask.FromResult(false);
    }

    /// <summary>Counts the pages of objectives read (each <see cref="IOkrStore.ListObjectivesAsync"/> call).</summary>
    private sealed class PageCountingStore(IOkrStore inner) : Storage.Specification.DelegatingOkrStore(inner)
    {
        public int Pages { get; private set; }

        public override async IAsyncEnumerable<Objective> ListObjectivesAsync(TenantId tenant, ObjectiveQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Pages++;
            await foreach (var o in Inner.ListObjectivesAsync(tenant, query, cancellationToken))
            {
                yield return o;
            }
        }
    }

    /// <summary>A response body's rules: synchronous writes throw. Notes how many pages had been read at the first write.</summary>
    private sealed class AsyncOnlyWriter(PageCountingStore store) : StringWriter(CultureInfo.InvariantCulture)
    {
        public int? PagesReadAtFirstWrite { get; private set; }

        public override void Write(char value) => throw new InvalidOperationException("Synchronous write.");

        public override void Write(string? value) => throw new InvalidOperationException("Synchronous write.");

        public override void Write(char[] buffer, int index, int count) => throw new InvalidOperationException("Synchronous write.");

        public override Task WriteAsync(StringBuilder? value, CancellationToken cancellationToken = default)
        {
            PagesReadAtFirstWrite ??= store.Pages;
            GetStringBuilder().Append(value);
            return Task.CompletedTask;
        }
    }
}
