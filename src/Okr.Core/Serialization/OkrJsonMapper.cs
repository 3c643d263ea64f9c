using NodaTime;

namespace Okr.Core.Serialization;

/// <summary>Maps between the domain and the okr/1 wire shapes. Reading collects every violation with its JSON path.</summary>
internal static class OkrJsonMapper
{
    public static DocumentDto ToDto(OkrDocument document) => new()
    {
        Format = document.Objectives.Any(o => o.KeyResults.Any(k => k.Measure is OrdinalMeasure)) ? OkrDocument.OrdinalFormat : OkrDocument.CurrentFormat,
        Tenant = document.TenantId,
        ExportedAt = document.ExportedAt,
        Periods = [.. document.Periods.Select(ToDto)],
        Objectives = [.. document.Objectives.Select(ToDto)],
        CheckIns = [.. document.CheckIns.Select(ToDto)],
    };

    public static OkrDocument FromDto(DocumentDto dto)
    {
        if (dto.Format == OkrDocument.CurrentFormat)
        {
            RefuseOrdinalIn1(dto);
        }

        // Valid input (by far the common case) takes the direct path; only a failure pays for the
        // second, path-collecting pass that names every problem. A null element (the serializer lets them
        // through) is known to fail, so such a document goes straight to the second pass.
        if (!dto.Periods.Contains(null!) && !dto.Objectives.Contains(null!) && !dto.CheckIns.Contains(null!))
        {
            try
            {
                return new OkrDocument(dto.Tenant, [.. dto.Periods.Select(Direct.Period)], [.. dto.Objectives.Select(Direct.Objective)], [.. dto.CheckIns.Select(Direct.CheckIn)], dto.ExportedAt);
            }
            catch (Exception ex) when (ex is OkrValidationException or ArgumentException)
            {
                // Fall through to the detailed reader.
            }
        }

        var reader = new Reader();
        var periods = reader.Many(dto.Periods, "$.periods", reader.Period);
        var objectives = reader.Many(dto.Objectives, "$.objectives", reader.Objective);
        var checkIns = reader.Many(dto.CheckIns, "$.checkIns", reader.CheckIn);
        reader.ThrowIfAny();
        return new OkrDocument(dto.Tenant, periods, objectives, checkIns, dto.ExportedAt);
    }

    /// <summary>A period read alone (a web API's body), every rule named with its path.</summary>
    public static OkrPeriod PeriodFromDto(PeriodDto dto) => Read(r => r.Period(dto, "$"));

    /// <summary>A check-in read alone, every rule named with its path.</summary>
    public static CheckIn CheckInFromDto(CheckInDto dto) => Read(r => r.CheckIn(dto, "$"));

    /// <summary>A key result read alone.</summary>
    public static KeyResult KeyResultFromDto(KeyResultDto dto) => Direct.KeyResult(dto);

    /// <summary>A measure read alone.</summary>
    public static Measure MeasureFromDto(MeasureDto dto) => Direct.Measure(dto);

    /// <summary>An owner read alone.</summary>
    public static OwnerRef OwnerFromDto(OwnerDto dto) => new(dto.Kind, dto.Id);

    private static T Read<T>(Func<Reader, T?> read)
        where T : class
    {
        var reader = new Reader();
        var result = read(reader);
        reader.ThrowIfAny();
        return result ?? throw new OkrFormatException("The value is null.", "$");
    }

    public static Objective FromDto(ObjectiveDto dto)
    {
        try
        {
            return Direct.Objective(dto);
        }
        catch (Exception ex) when (ex is OkrValidationException or ArgumentException)
        {
            // Fall through to the detailed reader.
        }

        var reader = new Reader();
        var objective = reader.Objective(dto, "$");
        reader.ThrowIfAny();
        return objective!;
    }

    public static PeriodDto ToDto(OkrPeriod p) => new()
    {
        Id = p.Id,
        Name = p.Name,
        Start = p.Dates.Start,
        End = p.Dates.End,
        State = p.State,
        ReopenReason = p.ReopenReason,
        UpdatedBy = p.UpdatedBy is { } who ? ToDto(who) : null,
        UpdatedAt = p.UpdatedAt,
        Version = p.Version,
    };

    public static OwnerDto ToDto(OwnerRef o) => new() { Kind = o.Kind, Id = o.ExternalId };

    public static ObjectiveDto ToDto(Objective o) => new()
    {
        Id = o.Id,
        PeriodId = o.PeriodId,
        Title = o.Title,
        Description = o.Description,
        Owner = ToDto(o.Owner),
        Kind = o.Kind,
        State = o.State,
        Visibility = o.Visibility,
        KeyResults = [.. o.KeyResults.Select(ToDto)],
        Alignments = [.. o.Alignments.Select(a => new AlignmentDto { Objective = a.ParentObjectiveId, KeyResult = a.ParentKeyResultId, Weight = a.Weight, Kind = a.Kind })],
        Version = o.Version,
        CreatedAt = o.CreatedAt,
        UpdatedAt = o.UpdatedAt,
        Grade = o.Grade is { } g
            ? new GradeDto { Computed = g.Computed, Value = g.Value, OverriddenBy = g.OverriddenBy is { } by ? ToDto(by) : null, OverrideReason = g.OverrideReason }
            : null,
        UpdatedBy = o.UpdatedBy is { } who ? ToDto(who) : null,
        ReopenReason = o.ReopenReason,
        CarriedFrom = o.CarriedFrom,
        Cadence = o.Cadence is { } cadence ? ToDto(cadence) : null,
    };

    public static CadenceDto ToDto(CheckInCadence c) => new()
    {
        Kind = c.Kind switch
        {
            CadenceKind.Weekly => "weekly",
            CadenceKind.EveryWeeks => "everyWeeks",
            CadenceKind.Monthly => "monthly",
            _ => "dates",
        },
        Day = c.Kind is CadenceKind.Weekly or CadenceKind.EveryWeeks ? c.Day.ToString().ToLowerInvariant() : null,
        Weeks = c.Kind == CadenceKind.EveryWeeks ? c.Weeks : null,
        DayOfMonth = c.Kind == CadenceKind.Monthly ? c.DayOfMonth : null,
        Dates = c.Kind == CadenceKind.Dates ? [.. c.Dates] : null,
        GraceDays = c.GraceDays == 0 ? null : c.GraceDays,
    };

    public static KeyResultDto ToDto(KeyResult k) => new()
    {
        Id = k.Id,
        Title = k.Title,
        Measure = ToDto(k.Measure),
        Weight = k.Weight,
        Owner = k.Owner is { } owner ? ToDto(owner) : null,
        ProgressSource = k.ProgressSource,
        Cancelled = k.IsCancelled,
        Cadence = k.Cadence is { } cadence ? ToDto(cadence) : null,
        Metric = k.Metric is { } metric ? new MetricDto { Source = metric.Source, Key = metric.Key } : null,
    };

    // okr/1 has no ordinal measure: a document that holds one and says okr/1 was not written by this library.
    private static void RefuseOrdinalIn1(DocumentDto dto)
    {
        for (var i = 0; i < dto.Objectives.Count; i++)
        {
            var keyResults = dto.Objectives[i]?.KeyResults;
            for (var j = 0; keyResults is not null && j < keyResults.Count; j++)
            {
                if (keyResults[j]?.Measure?.Type == MeasureKind.Ordinal)
                {
                    throw new OkrFormatException(
                        $"The Ordinal measure is part of '{OkrDocument.OrdinalFormat}', but the document says '{OkrDocument.CurrentFormat}'.",
                        $"$.objectives[{i}].keyResults[{j}].measure.type");
                }
            }
        }
    }

    internal static MeasureDto ToDto(Measure m)
    {
        var unit = m.Unit == MeasureUnit.Number ? (MeasureUnit?)null : m.Unit;
        return m switch
        {
            IncreaseMeasure i => new() { Type = m.Kind, Unit = unit, Baseline = i.Baseline, Target = i.Target, Stretch = i.Stretch },
            DecreaseMeasure d => new() { Type = m.Kind, Unit = unit, Baseline = d.Baseline, Target = d.Target, Stretch = d.Stretch },
            StayAboveMeasure a => new() { Type = m.Kind, Unit = unit, Threshold = a.Threshold },
            StayBelowMeasure b => new() { Type = m.Kind, Unit = unit, Threshold = b.Threshold },
            WithinRangeMeasure r => new() { Type = m.Kind, Unit = unit, Low = r.Low, High = r.High },
            StagedMeasure s => new() { Type = m.Kind, Unit = unit, Baseline = s.Baseline, Commit = s.Commit, Target = s.Target, Stretch = s.Stretch },
            OrdinalMeasure o => new() { Type = m.Kind, Levels = [.. o.Levels.Select(l => new OrdinalLevelDto { Name = l.Name, Score = l.Score })] },
            _ => new() { Type = m.Kind, Unit = unit },
        };
    }

    public static CheckInDto ToDto(CheckIn c) => new()
    {
        Id = c.Id,
        KeyResult = c.KeyResultId,
        Value = c.Value,
        Author = ToDto(c.Author),
        EffectiveAt = c.EffectiveAt,
        RecordedAt = c.RecordedAt,
        Confidence = c.Confidence?.Value,
        Note = c.Note,
        Corrects = c.Corrects,
    };

    /// <summary>Builds domain objects straight from the wire shapes; any problem throws, and the caller then asks <see cref="Reader"/> for the details.</summary>
    internal static class Direct
    {
        // A null element of a list (which the serializer lets through) throws ArgumentNullException in
        // NotNull, so the detailed reader names it.
        public static OkrPeriod Period(PeriodDto p) => new(NotNull(p).Id, p.Name, new DateInterval(p.Start, p.End), p.State, p.ReopenReason, p.UpdatedBy is { } who ? Owner(who) : null, p.UpdatedAt, p.Version);

        public static Objective Objective(ObjectiveDto o) => new(
            NotNull(o).Id,
            o.PeriodId,
            o.Title,
            o.Description,
            Owner(o.Owner),
            o.Kind,
            o.State,
            o.Visibility,
            o.KeyResults.Select(KeyResult),
            o.Alignments.Select(a => new AlignmentLink(NotNull(a).Objective, a.KeyResult, a.Weight, a.Kind)),
            o.Version,
            o.CreatedAt,
            o.UpdatedAt,
            o.Grade is { } g ? FinalGrade.Create(g.Computed, g.Value, g.OverriddenBy is { } by ? Owner(by) : null, g.OverrideReason) : null,
            o.UpdatedBy is { } who ? Owner(who) : null,
            o.ReopenReason,
            o.CarriedFrom)
        {
            Cadence = o.Cadence is { } c ? CadenceOf(c) : null,
        };

        public static CheckIn CheckIn(CheckInDto c) =>
            new(NotNull(c).Id, c.KeyResult, c.Value, Owner(c.Author), c.EffectiveAt, c.RecordedAt, c.Confidence is { } v ? new Confidence(v) : null, c.Note, c.Corrects);

        public static KeyResult KeyResult(KeyResultDto k) =>
            new(NotNull(k).Id, k.Title, Measure(k.Measure), k.Weight, k.Owner is { } owner ? Owner(owner) : null, k.ProgressSource, k.Cancelled) { Cadence = k.Cadence is { } c ? CadenceOf(c) : null, Metric = k.Metric is { } m ? new MetricBinding(m.Source, m.Key) : null };

        /// <summary>A cadence from its JSON form; a bad one throws <see cref="OkrValidationException"/> naming the member.</summary>
        public static CheckInCadence CadenceOf(CadenceDto c)
        {
            IsoDayOfWeek Day() => c.Day is { Length: > 0 } name && char.IsLower(name[0]) && !name.Any(char.IsDigit) && Enum.TryParse<IsoDayOfWeek>(name, ignoreCase: true, out var day) && day != IsoDayOfWeek.None
                ? day
                : throw new OkrValidationException([new OkrViolation(OkrErrorCodes.OutOfRange, "day", $"Day must be a weekday in lower case (monday to sunday); it is '{c.Day}'.")]);
            var grace = c.GraceDays ?? 0;
            return c.Kind switch
            {
                "weekly" => CheckInCadence.Weekly(Day(), grace),
                "everyWeeks" => CheckInCadence.EveryWeeks(c.Weeks ?? 0, Day(), grace),
                "monthly" => CheckInCadence.Monthly(c.DayOfMonth ?? 0, grace),
                "dates" => CheckInCadence.OnDates(c.Dates ?? [], grace),
                _ => throw new OkrValidationException([new OkrViolation(OkrErrorCodes.OutOfRange, "kind", $"Kind must be weekly, everyWeeks, monthly or dates; it is '{c.Kind}'.")]),
            };
        }

        private static OwnerRef Owner(OwnerDto o) => new(o.Kind, o.Id);

        public static Measure Measure(MeasureDto m)
        {
            var unit = m.Unit ?? MeasureUnit.Number;
            return m.Type switch
            {
                MeasureKind.Increase => new IncreaseMeasure(Need(m.Baseline), Need(m.Target), m.Stretch, unit),
                MeasureKind.Decrease => new DecreaseMeasure(Need(m.Baseline), Need(m.Target), m.Stretch, unit),
                MeasureKind.StayAbove => new StayAboveMeasure(Need(m.Threshold), unit),
                MeasureKind.StayBelow => new StayBelowMeasure(Need(m.Threshold), unit),
                MeasureKind.WithinRange => new WithinRangeMeasure(Need(m.Low), Need(m.High), unit),
                MeasureKind.Milestone => new MilestoneMeasure(),
                MeasureKind.Staged => new StagedMeasure(Need(m.Baseline), Need(m.Commit), Need(m.Target), Need(m.Stretch), unit),
                MeasureKind.Ordinal when m.Levels is { } levels => new OrdinalMeasure(levels.Select(l => new OrdinalLevel(NotNull(l).Name, l.Score))),
                _ => throw new ArgumentException("Unknown measure type."),
            };
        }

        private static T NotNull<T>(T? item)
            where T : class => item ?? throw new ArgumentNullException(nameof(item), "A list element is null.");

        private static decimal Need(decimal? value) => value ?? throw new ArgumentException("A measure level is missing.");
    }

    /// <summary>Builds domain objects, turning each construction failure into violations at JSON paths.</summary>
    private sealed class Reader
    {
        /// <summary>Takes the place of an owner that failed to read, so the rest of its object is still checked.</summary>
        private static readonly OwnerRef StandIn = OwnerRef.Person("?");

        // At most MaxReportedViolations are kept and named; the rest are only counted, so a document full of mistakes
        // costs no more memory than a valid one.
        private ViolationList _violations;   // a mutable struct: not readonly (see ViolationList)
        private string? _firstPath;

        public void ThrowIfAny()
        {
            if (!_violations.IsEmpty)
            {
                var inner = Capture(_violations.ThrowIfAny);
                throw new OkrFormatException($"The document breaks the model's rules: {inner!.Message}", _firstPath!, inner);
            }
        }

        public List<T> Many<TDto, T>(List<TDto> items, string path, Func<TDto, string, T?> read)
            where T : class
        {
            var result = new List<T>(items.Count);
            for (var i = 0; i < items.Count; i++)
            {
                // The serializer lets a null element of a list through; it is named here.
                if (items[i] is null)
                {
                    if (_violations.IsFull)
                    {
                        _violations.CountMore();
                    }
                    else
                    {
                        Report($"{path}[{i}]", OkrErrorCodes.Required, "An element of this list is null.");
                    }
                }
                else if (read(items[i], $"{path}[{i}]") is { } item)
                {
                    result.Add(item);
                }
            }

            return result;
        }

        public OkrPeriod? Period(PeriodDto p, string path)
        {
            if (p.End < p.Start)
            {
                Report(path + ".end", OkrErrorCodes.PeriodDatesOutOfOrder, $"The end ({p.End:uuuu-MM-dd}) lies before the start ({p.Start:uuuu-MM-dd}).");
                return null;
            }

            var updatedBy = p.UpdatedBy is { } u ? Owner(u, path + ".updatedBy") : null;
            var period = Build(path, () => new OkrPeriod(p.Id, p.Name, new DateInterval(p.Start, p.End), p.State, p.ReopenReason, updatedBy, p.UpdatedAt, p.Version));
            return p.UpdatedBy is not null && updatedBy is null ? null : period;
        }

        public Objective? Objective(ObjectiveDto o, string path)
        {
            var owner = Owner(o.Owner, path + ".owner");
            var keyResults = Many(o.KeyResults, path + ".keyResults", KeyResult);
            var alignments = Many(o.Alignments, path + ".alignments", (a, p) => Build(p, () => new AlignmentLink(a.Objective, a.KeyResult, a.Weight, a.Kind)));
            FinalGrade? grade = null;
            if (o.Grade is { } g)
            {
                var by = g.OverriddenBy is { } b ? Owner(b, path + ".grade.overriddenBy") : null;
                grade = Build(path + ".grade", () => FinalGrade.Create(g.Computed, g.Value, by, g.OverrideReason));
            }

            var updatedBy = o.UpdatedBy is { } u ? Owner(u, path + ".updatedBy") : null;

            // Build even when a part failed (with stand-ins), so the objective's own problems are reported too.
            var cadence = o.Cadence is { } c ? Cadence(c, path + ".cadence") : null;
            var objective = Build(path, () => new Objective(o.Id, o.PeriodId, o.Title, o.Description, owner ?? StandIn, o.Kind, o.State, o.Visibility, keyResults, alignments, o.Version, o.CreatedAt, o.UpdatedAt, o.Grade is null ? null : grade ?? FinalGrade.FromComputed(0), updatedBy, o.ReopenReason, o.CarriedFrom) { Cadence = cadence });
            var partsValid = owner is not null && keyResults.Count == o.KeyResults.Count && alignments.Count == o.Alignments.Count && (o.Grade is null || grade is not null)
                && (o.UpdatedBy is null || updatedBy is not null) && (o.Cadence is null || cadence is not null);
            return partsValid ? objective : null;
        }

        public CheckIn? CheckIn(CheckInDto c, string path)
        {
            var author = Owner(c.Author, path + ".author");
            var confidence = c.Confidence is { } value ? BuildValue(path + ".confidence", () => new Confidence(value)) : null;
            var checkIn = Build(path, () => new CheckIn(c.Id, c.KeyResult, c.Value, author ?? StandIn, c.EffectiveAt, c.RecordedAt, confidence, c.Note, c.Corrects));
            return author is null || (c.Confidence is not null && confidence is null) ? null : checkIn;
        }

        private KeyResult? KeyResult(KeyResultDto k, string path)
        {
            var measure = Measure(k.Measure, path + ".measure");
            var owner = k.Owner is { } o ? Owner(o, path + ".owner") : null;

            // Still build with a stand-in measure when the real one failed, so the key result's own problems are reported too.
            var cadence = k.Cadence is { } c ? Cadence(c, path + ".cadence") : null;
            var metric = k.Metric is { } m ? Build(path + ".metric", () => new MetricBinding(m.Source, m.Key)) : null;
            var keyResult = Build(path, () => new KeyResult(k.Id, k.Title, measure ?? new MilestoneMeasure(), k.Weight, owner, k.ProgressSource, k.Cancelled) { Cadence = cadence, Metric = metric });
            return measure is null || (k.Owner is not null && owner is null) || (k.Cadence is not null && cadence is null) || (k.Metric is not null && metric is null) ? null : keyResult;
        }

        private CheckInCadence? Cadence(CadenceDto c, string path) => Build(path, () => Direct.CadenceOf(c));

        private Measure? Measure(MeasureDto m, string path)
        {
            var unit = m.Unit ?? MeasureUnit.Number;
            return m.Type switch
            {
                MeasureKind.Increase => Need(m.Baseline, "baseline") && Need(m.Target, "target") ? Build(path, () => new IncreaseMeasure(m.Baseline!.Value, m.Target!.Value, m.Stretch, unit)) : null,
                MeasureKind.Decrease => Need(m.Baseline, "baseline") && Need(m.Target, "target") ? Build(path, () => new DecreaseMeasure(m.Baseline!.Value, m.Target!.Value, m.Stretch, unit)) : null,
                MeasureKind.StayAbove => Need(m.Threshold, "threshold") ? Build(path, () => new StayAboveMeasure(m.Threshold!.Value, unit)) : null,
                MeasureKind.StayBelow => Need(m.Threshold, "threshold") ? Build(path, () => new StayBelowMeasure(m.Threshold!.Value, unit)) : null,
                MeasureKind.WithinRange => Need(m.Low, "low") && Need(m.High, "high") ? Build(path, () => new WithinRangeMeasure(m.Low!.Value, m.High!.Value, unit)) : null,
                MeasureKind.Milestone => new MilestoneMeasure(),
                MeasureKind.Staged => Need(m.Baseline, "baseline") && Need(m.Commit, "commit") && Need(m.Target, "target") && Need(m.Stretch, "stretch")
                    ? Build(path, () => new StagedMeasure(m.Baseline!.Value, m.Commit!.Value, m.Target!.Value, m.Stretch!.Value, unit))
                    : null,
                MeasureKind.Ordinal => m.Levels is null
                    ? Report<Measure>(path + ".levels", OkrErrorCodes.Required, "An Ordinal measure needs 'levels'.")
                    : Levels(m.Levels, path + ".levels") is { } levels ? Build(path, () => new OrdinalMeasure(levels)) : null,
                _ => Report<Measure>(path + ".type", OkrErrorCodes.OutOfRange, $"Unknown measure type {m.Type}."),
            };

            bool Need(decimal? value, string member)
            {
                if (value is null)
                {
                    Report<Measure>($"{path}.{member}", OkrErrorCodes.Required, $"A {m.Type} measure needs '{member}'.");
                }

                return value is not null;
            }
        }

        private OwnerRef? Owner(OwnerDto o, string path) => BuildValue(path, () => new OwnerRef(o.Kind, o.Id));

        private List<OrdinalLevel>? Levels(List<OrdinalLevelDto> levels, string path)
        {
            var read = Many(levels, path, (l, at) => Build(at, () => new OrdinalLevel(l.Name, l.Score)));
            return read.Count == levels.Count ? read : null;
        }

        private T? Build<T>(string path, Func<T> make)
            where T : class
        {
            try
            {
                return make();
            }
            catch (OkrValidationException ex)
            {
                Add(path, ex);
                return null;
            }
        }

        private T? BuildValue<T>(string path, Func<T> make)
            where T : struct
        {
            try
            {
                return make();
            }
            catch (OkrValidationException ex)
            {
                Add(path, ex);
                return null;
            }
        }

        private void Add(string path, OkrValidationException ex)
        {
            foreach (var v in ex.Violations)
            {
                Report(string.IsNullOrEmpty(v.Member) ? path : $"{path}.{CamelCase(v.Member)}", v.Code, v.Message);
            }
        }

        private T? Report<T>(string path, string code, string message)
            where T : class
        {
            Report(path, code, message);
            return null;
        }

        private void Report(string path, string code, string message)
        {
            _firstPath ??= path;
            _violations.Add(code, path, message);
        }

        private static OkrValidationException? Capture(Action action)
        {
            try
            {
                action();
                return null;
            }
            catch (OkrValidationException ex)
            {
                return ex;
            }
        }

        /// <summary>Turns a domain member path such as <c>KeyResults[2].Title</c> into the JSON one, <c>keyResults[2].title</c>.</summary>
        private static string CamelCase(string member) =>
            string.Join('.', member.Split('.').Select(s => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s[1..]));
    }
}
