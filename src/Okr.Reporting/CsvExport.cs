using System.Globalization;
using System.Text;
using nietras.SeparatedValues;
using NodaTime;
using NodaTime.Text;
using Okr.Core;
using Okr.Core.Events;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Reporting;

/// <summary>
/// Writes a period as CSV that spreadsheets, payroll and HR systems read: one row per objective (with its grade), per
/// key result, or per check-in. Written with Sep; a field holding the separator, a quote or a line break is quoted
/// (RFC 4180); rows end with a line feed. Numbers are culture-invariant unless <see cref="CsvExportOptions.Culture"/> is
/// set; instants are ISO 8601 in UTC. Each call reads through <see cref="OkrService"/>, so an export made with
/// <c>okr.As(person)</c> holds only what that person may read.
/// </summary>
/// <remarks>
/// Rows are written to the output as they are made, <see cref="CsvExportOptions.PageSize"/> at a time, with
/// asynchronous writes (an ASP.NET Core response body can take them). The objective and key result exports take the
/// period's summary (its figures need the whole roll-up) and write it row by row; the check-in export reads one page of
/// objectives and their histories at a time, the next while it writes one, so it holds two pages, whatever the period's size.
/// </remarks>
public static class CsvExport
{
    private static readonly System.Diagnostics.ActivitySource Telemetry = new(OkrTelemetry.Name);

    /// <summary>The columns of <see cref="WriteObjectivesAsync"/>, in order.</summary>
    public static IReadOnlyList<string> ObjectiveColumns { get; } =
    [
        "period_id", "objective_id", "title", "owner", "owner_name", "kind", "state", "aligned_to", "progress", "expected_progress", "health",
        "grade", "computed_grade", "expected_grade", "met", "overridden_by", "overridden_by_name", "override_reason",
    ];

    /// <summary>The columns of <see cref="WriteKeyResultsAsync"/>, in order.</summary>
    public static IReadOnlyList<string> KeyResultColumns { get; } =
    [
        "period_id", "objective_id", "key_result_id", "title", "owner", "owner_name", "measure", "unit", "baseline", "target", "target_high", "weight",
        "value", "effective_at", "recorded_at", "progress", "expected_progress", "health", "met", "cancelled",
    ];

    /// <summary>The columns of <see cref="WriteCheckInsAsync"/>, in order.</summary>
    public static IReadOnlyList<string> CheckInColumns { get; } =
    [
        "period_id", "objective_id", "key_result_id", "check_in_id", "value", "unit", "effective_at", "recorded_at", "author", "author_name", "confidence",
        "corrects", "note",
    ];

    /// <summary>
    /// One row per objective of the period (or of the scope), in id order: its progress and health while the period
    /// runs, its grade, computed grade, expectation, met or missed, and any override with who and why once it is
    /// closed. Health is empty once the period is closed, as in the reports.
    /// </summary>
    /// <param name="okr">The service, or the service acting for someone (<see cref="OkrService.As"/>).</param>
    /// <param name="tenant">The tenant.</param>
    /// <param name="period">The period.</param>
    /// <param name="output">Where the CSV goes; it is written to asynchronously and not closed.</param>
    /// <param name="options">What to write and how; <see cref="CsvExportOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the export (the rows written so far stay written).</param>
    /// <returns>The number of rows written, the header not counted.</returns>
    /// <exception cref="OkrNotFoundException">The period does not exist (or the scope's subtree root is not an objective of it the actor may read).</exception>
    /// <exception cref="OkrValidationException">The options are invalid; nothing is written.</exception>
    public static async ValueTask<int> WriteObjectivesAsync(OkrService okr, TenantId tenant, PeriodId period, TextWriter output, CsvExportOptions? options = null, CancellationToken cancellationToken = default)
    {
        options = Check(okr, output, options);
        using var activity = Start("okr.export.objectives", tenant);
        var summary = await okr.Progress.SummarizeAsync(tenant, period, options.Scope, cancellationToken).ConfigureAwait(false);
        var settings = await okr.OptionsForAsync(tenant, cancellationToken).ConfigureAwait(false);
        var closed = summary.Period.State is PeriodState.Closed or PeriodState.Archived;
        var names = await NamesAsync(options, tenant, summary.Objectives.Select(s => s.Progress.Objective.Owner)
            .Concat(summary.Objectives.Select(s => s.Progress.Objective.Grade?.OverriddenBy).OfType<OwnerRef>()), cancellationToken).ConfigureAwait(false);
        var csv = new Csv(output, options, ObjectiveColumns);
        await using var flush = csv.ConfigureAwait(false);
        foreach (var s in summary.Objectives)
        {
            var o = s.Progress.Objective;
            var grade = o.Grade;
            var row = csv.Row();
            row[0] = o.PeriodId.ToString();
            row[1] = o.Id.ToString();
            row[2] = csv.Text(o.Title);
            row[3] = o.Owner.ToString();
            row[4] = csv.Text(names.GetValueOrDefault(o.Owner));
            row[5] = Code(o.Kind.ToString());
            row[6] = Code(o.State.ToString());
            row[7] = string.Join(' ', o.Alignments.Select(a => a.ParentObjectiveId.ToString()));
            row[8] = csv.Number(s.Progress.Progress);
            row[9] = closed ? null : csv.Number(s.Health.ExpectedProgress);
            row[10] = closed ? null : Code(s.Health.Status.ToString());
            if (grade is not null)
            {
                var expected = settings.Assessment.For(o.Kind);
                row[11] = csv.Number(grade.Value);
                row[12] = csv.Number(grade.Computed);
                row[13] = csv.Number(expected);
                row[14] = Bool(grade.Value >= expected - 1e-9);
                row[15] = grade.OverriddenBy?.ToString();
                row[16] = grade.OverriddenBy is { } by ? csv.Text(names.GetValueOrDefault(by)) : null;
                row[17] = csv.Text(grade.OverrideReason);
            }

            await csv.EndFilledRowAsync(cancellationToken).ConfigureAwait(false);
        }

        activity?.SetTag("okr.rows.count", csv.Rows);
        return csv.Rows;
    }

    /// <summary>
    /// One row per key result of the period's objectives (or of the scope's), objective by objective in id order: its
    /// measure and unit, the value in force with when it was true and when it was recorded, progress, expected progress
    /// and health while the period runs, met or missed once it is closed.
    /// </summary>
    /// <param name="okr">The service, or the service acting for someone (<see cref="OkrService.As"/>).</param>
    /// <param name="tenant">The tenant.</param>
    /// <param name="period">The period.</param>
    /// <param name="output">Where the CSV goes; it is written to asynchronously and not closed.</param>
    /// <param name="options">What to write and how; <see cref="CsvExportOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the export (the rows written so far stay written).</param>
    /// <returns>The number of rows written, the header not counted.</returns>
    /// <exception cref="OkrNotFoundException">The period does not exist (or the scope's subtree root is not an objective of it the actor may read).</exception>
    /// <exception cref="OkrValidationException">The options are invalid; nothing is written.</exception>
    /// <remarks>
    /// <c>baseline</c> and <c>target</c> are the measure's baseline and target (increase, decrease, staged), its
    /// threshold in <c>target</c> (stay above, stay below), its low and high in <c>target</c> and <c>target_high</c>
    /// (within range), 1 in <c>target</c> for a milestone, and the top level's position for an ordinal measure, whose
    /// <c>value</c> is the chosen level's position.
    /// </remarks>
    public static async ValueTask<int> WriteKeyResultsAsync(OkrService okr, TenantId tenant, PeriodId period, TextWriter output, CsvExportOptions? options = null, CancellationToken cancellationToken = default)
    {
        options = Check(okr, output, options);
        using var activity = Start("okr.export.key_results", tenant);
        var summary = await okr.Progress.SummarizeAsync(tenant, period, options.Scope, cancellationToken).ConfigureAwait(false);
        var closed = summary.Period.State is PeriodState.Closed or PeriodState.Archived;
        var names = await NamesAsync(options, tenant, summary.Objectives.SelectMany(s => s.KeyResults.Select(k => k.Progress.KeyResult.Owner ?? s.Progress.Objective.Owner)), cancellationToken).ConfigureAwait(false);
        var csv = new Csv(output, options, KeyResultColumns);
        await using var flush = csv.ConfigureAwait(false);
        foreach (var s in summary.Objectives)
        {
            var o = s.Progress.Objective;
            foreach (var k in s.KeyResults)
            {
                var kr = k.Progress.KeyResult;
                var owner = kr.Owner ?? o.Owner;
                var (baseline, target, high) = Line(kr.Measure);
                var row = csv.Row();
                row[0] = o.PeriodId.ToString();
                row[1] = o.Id.ToString();
                row[2] = kr.Id.ToString();
                row[3] = csv.Text(kr.Title);
                row[4] = owner.ToString();
                row[5] = csv.Text(names.GetValueOrDefault(owner));
                row[6] = Code(kr.Measure.Kind.ToString());
                row[7] = kr.Measure.Unit.ToString();
                row[8] = csv.Number(baseline);
                row[9] = csv.Number(target);
                row[10] = csv.Number(high);
                row[11] = csv.Number(kr.Weight);
                row[12] = csv.Number(k.Latest?.Value);
                row[13] = Instant(k.Latest?.EffectiveAt);
                row[14] = Instant(k.Latest?.RecordedAt);
                row[15] = csv.Number(k.Progress.Progress);
                row[16] = closed || kr.IsCancelled ? null : csv.Number(k.Health.ExpectedProgress);
                row[17] = closed || kr.IsCancelled ? null : Code(k.Health.Status.ToString());
                row[18] = closed && !kr.IsCancelled ? Bool(k.Progress.Progress >= 1 - 1e-9) : null;
                row[19] = Bool(kr.IsCancelled);
                await csv.EndFilledRowAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        activity?.SetTag("okr.rows.count", csv.Rows);
        return csv.Rows;
    }

    /// <summary>
    /// One row per check-in of the period's key results (corrections included, each naming the check-in it corrects),
    /// objective by objective in id order, each key result's history by effective instant. Objectives are read a page
    /// at a time (<see cref="CsvExportOptions.PageSize"/>) with their histories, the next while one is written, so memory holds two pages.
    /// </summary>
    /// <param name="okr">The service, or the service acting for someone (<see cref="OkrService.As"/>).</param>
    /// <param name="tenant">The tenant.</param>
    /// <param name="period">The period.</param>
    /// <param name="output">Where the CSV goes; it is written to asynchronously and not closed.</param>
    /// <param name="options">What to write and how; <see cref="CsvExportOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the export (the rows written so far stay written).</param>
    /// <returns>The number of rows written, the header not counted.</returns>
    /// <exception cref="OkrNotFoundException">The period does not exist (or the scope's subtree root is not an objective of it the actor may read).</exception>
    /// <exception cref="OkrValidationException">The options are invalid; nothing is written.</exception>
    /// <remarks>With a <see cref="CsvExportOptions.Scope"/>, the scope's summary is taken first to know its objectives; the histories are still read a page at a time.</remarks>
    public static async ValueTask<int> WriteCheckInsAsync(OkrService okr, TenantId tenant, PeriodId period, TextWriter output, CsvExportOptions? options = null, CancellationToken cancellationToken = default)
    {
        options = Check(okr, output, options);
        using var activity = Start("okr.export.check_ins", tenant);
        _ = await okr.Periods.GetAsync(tenant, period, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<Objective>? scoped = null;
        if (options.Scope is { IsWholePeriod: false } scope)
        {
            var summary = await okr.Progress.SummarizeAsync(tenant, period, scope, cancellationToken).ConfigureAwait(false);
            scoped = [.. summary.Objectives.Select(s => s.Progress.Objective)];
        }

        var csv = new Csv(output, options, CheckInColumns);
        await using var flush = csv.ConfigureAwait(false);
        var periodId = period.ToString();
        // Two pages at a time: while one is written, the next is read (the database works while this process formats).
        async Task<(List<Objective> Page, IReadOnlyDictionary<KeyResultId, IReadOnlyList<CheckIn>> Histories)> ReadAsync(int offset, ObjectiveId? after)
        {
            var page = new List<Objective>(options.PageSize);
            if (scoped is not null)
            {
                page.AddRange(scoped.Skip(offset).Take(options.PageSize));
            }
            else
            {
                await foreach (var o in okr.Objectives.ListAsync(tenant, new ObjectiveQuery { Period = period, After = after, Limit = options.PageSize }, cancellationToken).ConfigureAwait(false))
                {
                    page.Add(o);
                }
            }

            var histories = page.Count == 0
                ? new Dictionary<KeyResultId, IReadOnlyList<CheckIn>>()
                : await okr.CheckIns.HistoriesAsync(tenant, [.. page.SelectMany(o => o.KeyResults.Select(k => k.Id))], cancellationToken).ConfigureAwait(false);
            return (page, histories);
        }

        var read = 0;
        var pending = ReadAsync(0, null);
        try
        {
            while (pending is not null)
            {
                var (page, histories) = await pending.ConfigureAwait(false);
                pending = null;
                if (page.Count == 0)
                {
                    break;
                }

                read += page.Count;
                if (scoped is not null ? read < scoped.Count : page.Count == options.PageSize)
                {
                    pending = ReadAsync(read, page[^1].Id);
                }

                await WritePageAsync(page, histories).ConfigureAwait(false);
            }
        }
        finally
        {
            // A write that failed or was cancelled leaves no read running unobserved.
            if (pending is not null)
            {
                try
                {
                    await pending.ConfigureAwait(false);
                }
#pragma warning disable CA1031 // The write's exception is the one that propagates; the read's is dropped.
                catch (Exception)
                {
                }
#pragma warning restore CA1031
            }
        }

        activity?.SetTag("okr.rows.count", csv.Rows);
        return csv.Rows;

        async Task WritePageAsync(List<Objective> page, IReadOnlyDictionary<KeyResultId, IReadOnlyList<CheckIn>> histories)
        {
            var names = await NamesAsync(options, tenant, histories.Values.SelectMany(h => h.Select(c => c.Author)), cancellationToken).ConfigureAwait(false);
            var authors = new Dictionary<OwnerRef, (string Ref, string? Name)>();
            foreach (var o in page)
            {
                var objectiveId = o.Id.ToString();
                foreach (var kr in o.KeyResults)
                {
                    if (!histories.TryGetValue(kr.Id, out var history))
                    {
                        continue;
                    }

                    var ids = (periodId, objectiveId, kr.Id.ToString(), kr.Measure.Unit.ToString());
                    foreach (var c in history)
                    {
                        if (!authors.TryGetValue(c.Author, out var author))
                        {
                            authors[c.Author] = author = (c.Author.ToString(), csv.Text(names.GetValueOrDefault(c.Author)));
                        }

                        csv.WriteCheckIn(ids, c, author);
                        await csv.EndRowAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
    }

    private static CsvExportOptions Check(OkrService okr, TextWriter output, CsvExportOptions? options)
    {
        ArgumentNullException.ThrowIfNull(okr);
        ArgumentNullException.ThrowIfNull(output);
        options ??= CsvExportOptions.Default;
        options.Validate();
        return options;
    }

    private static System.Diagnostics.Activity? Start(string name, TenantId tenant)
    {
        var activity = Telemetry.StartActivity(name);
        activity?.SetTag(OkrTelemetry.TenantTag, tenant.ToString());
        return activity;
    }

    private static async ValueTask<IReadOnlyDictionary<OwnerRef, string>> NamesAsync(CsvExportOptions options, TenantId tenant, IEnumerable<OwnerRef> owners, CancellationToken cancellationToken)
    {
        if (options.Owners is not { } directory)
        {
            return new Dictionary<OwnerRef, string>();
        }

        var distinct = owners.Distinct().ToList();
        return distinct.Count == 0 ? new Dictionary<OwnerRef, string>() : await directory.GetDisplayNamesAsync(tenant, distinct, cancellationToken).ConfigureAwait(false);
    }

    private static (decimal? Baseline, decimal? Target, decimal? High) Line(Measure measure) => measure switch
    {
        IncreaseMeasure m => (m.Baseline, m.Target, null),
        DecreaseMeasure m => (m.Baseline, m.Target, null),
        StagedMeasure m => (m.Baseline, m.Target, null),
        StayAboveMeasure m => (null, m.Threshold, null),
        StayBelowMeasure m => (null, m.Threshold, null),
        WithinRangeMeasure m => (null, m.Low, m.High),
        MilestoneMeasure => (0, 1, null),
        OrdinalMeasure m => (0, m.Levels.Count - 1, null),
        _ => (null, null, null),
    };

    private static string? Instant(Instant? instant) => instant is { } i ? InstantPattern.ExtendedIso.Format(i) : null;

    private static string Bool(bool value) => value ? "true" : "false";

    /// <summary>An enum member's name as a stable lower-case code: <c>OnTrack</c> → <c>on_track</c>.</summary>
    internal static string Code(string name) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    /// <summary>
    /// A Sep writer into a buffer of <see cref="CsvExportOptions.PageSize"/> rows, copied to the output asynchronously
    /// whenever it is full: Sep writes synchronously, and an output such as a response body may refuse synchronous writes.
    /// </summary>
    private sealed class Csv : IAsyncDisposable
    {
        private readonly TextWriter _output;
        private readonly StringBuilder _buffer = new();
        private readonly SepWriter _writer;
        private readonly string?[] _row;
        private readonly int _flushEvery;
        private readonly CultureInfo _culture;
        private readonly bool _protect;
        private int _pending;

        public Csv(TextWriter output, CsvExportOptions options, IReadOnlyList<string> columns)
        {
            _output = output;
            _culture = options.Culture ?? CultureInfo.InvariantCulture;
            _flushEvery = options.PageSize;
            _protect = options.ProtectFormulas;
            _writer = Sep.New(options.Separator).Writer(o => o with { Escape = true, CultureInfo = _culture }).To(_buffer);
            _writer.Header.Add([.. columns]);
            _writer.Header.Write();
            _row = new string?[columns.Count];
        }

        public int Rows { get; private set; }

        public string?[] Row()
        {
            Array.Clear(_row);
            return _row;
        }

        /// <summary>Text a person typed, with a leading apostrophe when a spreadsheet would take it for a formula (<see cref="CsvExportOptions.ProtectFormulas"/>).</summary>
        public string? Text(string? value) =>
            _protect && value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

        public string? Number(double? value) => value?.ToString("R", _culture);

        public string? Number(decimal? value) => value?.ToString(_culture);

        /// <summary>Writes the row filled through <see cref="Row"/>, then <see cref="EndRowAsync"/>.</summary>
        public ValueTask EndFilledRowAsync(CancellationToken cancellationToken)
        {
            WriteRow();
            return EndRowAsync(cancellationToken);
        }

        /// <summary>
        /// A check-in's row, written straight into Sep's buffer: ids and numbers are formatted in place, and the strings
        /// shared by many rows (the period, objective and key result ids, the unit, the author) are made once by the caller.
        /// </summary>
        public void WriteCheckIn((string Period, string Objective, string KeyResult, string Unit) ids, CheckIn c, (string Ref, string? Name) author)
        {
            using var row = _writer.NewRow();
            row[0].Set(ids.Period);
            row[1].Set(ids.Objective);
            row[2].Set(ids.KeyResult);
            row[3].Format(c.Id.Value);
            row[4].Format(c.Value);
            row[5].Set(ids.Unit);
            SetInstant(row[6], c.EffectiveAt);
            SetInstant(row[7], c.RecordedAt);
            row[8].Set(author.Ref);
            row[9].Set(author.Name ?? string.Empty);
            if (c.Confidence is { } confidence)
            {
                row[10].Format(confidence.Value, "R");
            }
            else
            {
                row[10].Set(string.Empty);
            }

            if (c.Corrects is { } corrects)
            {
                row[11].Format(corrects.Value);
            }
            else
            {
                row[11].Set(string.Empty);
            }

            row[12].Set(Text(c.Note) ?? string.Empty);
        }

        /// <summary>Counts a row written and copies the buffer to the output once a page of rows is in it.</summary>
        public async ValueTask EndRowAsync(CancellationToken cancellationToken)
        {
            Rows++;
            if (++_pending >= _flushEvery)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public async ValueTask DisposeAsync()
        {
            _writer.Dispose();
            await CopyAsync(CancellationToken.None).ConfigureAwait(false);
            await _output.FlushAsync().ConfigureAwait(false);
        }

        /// <summary>
        /// An instant as ISO 8601 in UTC, as <see cref="InstantPattern.ExtendedIso"/> writes it: formatted in place through
        /// <see cref="DateTime"/> when it has no digits below a tick, by NodaTime's pattern otherwise.
        /// </summary>
        private static void SetInstant(SepWriter.Col col, Instant instant)
        {
            var utc = instant.ToDateTimeUtc();
            if (NodaTime.Instant.FromDateTimeUtc(utc) == instant)
            {
                col.Format(utc, "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'");
            }
            else
            {
                col.Set(InstantPattern.ExtendedIso.Format(instant));
            }
        }

        private void WriteRow()
        {
            using var row = _writer.NewRow();
            for (var i = 0; i < _row.Length; i++)
            {
                row[i].Set(_row[i] ?? string.Empty);
            }
        }

        private async ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            _writer.Flush();
            await CopyAsync(cancellationToken).ConfigureAwait(false);
            await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        private async ValueTask CopyAsync(CancellationToken cancellationToken)
        {
            _pending = 0;
            if (_buffer.Length > 0)
            {
                await _output.WriteAsync(_buffer, cancellationToken).ConfigureAwait(false);
                _buffer.Clear();
            }
        }
    }
}
