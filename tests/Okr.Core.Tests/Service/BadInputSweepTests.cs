using NodaTime;
using NodaTime.Testing;
using Okr.Core.Serialization;
using Okr.Core.Service;
using Okr.Core.Storage;

namespace Okr.Core.Tests.Service;

/// <summary>
/// Bad input on every public entry point of the facade: each call fails with its documented typed exception
/// naming the problem, and neither tenant's exported state changes.
/// </summary>
public class BadInputSweepTests
{
    /// <summary>A seeded world: tenant A with an active and a closed period, tenant B with its own objective.</summary>
    public sealed class World
    {
        public FakeClock Clock { get; } = TestData.Clock();

        public InMemoryOkrStore Store { get; } = new();

        public TenantId A { get; } = new(Guid.NewGuid());

        public TenantId B { get; } = new(Guid.NewGuid());

        public OkrService Okr { get; private set; } = null!;

        public OkrPeriod Active { get; private set; } = null!;

        public OkrPeriod Closed { get; private set; } = null!;

        public Objective Draft { get; private set; } = null!;

        public Objective Running { get; private set; } = null!;

        public Objective Child { get; private set; } = null!;

        public Objective Frozen { get; private set; } = null!;

        public Objective OfB { get; private set; } = null!;

        public CheckIn CheckIn { get; private set; } = null!;

        public static async Task<World> Create()
        {
            var w = new World();
            w.Okr = new OkrService(w.Store, w.Clock);
            var okr = w.Okr;
            w.Active = await okr.Periods.ActivateAsync(w.A, (await okr.Periods.CreateAsync(w.A, OkrPeriod.CalendarQuarter(PeriodId.New(w.Clock), 2026, 1))).Id);
            w.Closed = await okr.Periods.ActivateAsync(w.A, (await okr.Periods.CreateAsync(w.A, OkrPeriod.CalendarQuarter(PeriodId.New(w.Clock), 2025, 4))).Id);
            w.Frozen = await okr.Objectives.ActivateAsync(w.A, (await okr.Objectives.CreateAsync(w.A, w.New(w.Closed, "Last quarter"))).Id);
            await okr.Periods.CloseAsync(w.A, w.Closed.Id);
            w.Frozen = await okr.Objectives.GetAsync(w.A, w.Frozen.Id);
            w.Draft = await okr.Objectives.CreateAsync(w.A, w.New(w.Active, "Draft", 2));
            w.Running = await okr.Objectives.ActivateAsync(w.A, (await okr.Objectives.CreateAsync(w.A, w.New(w.Active, "Running"))).Id);
            w.Child = await okr.Objectives.CreateAsync(w.A, w.New(w.Active, "Child") is var c ? c.WithAlignments([new AlignmentLink(w.Running.Id)], w.Clock) : null!);
            w.CheckIn = await okr.CheckIns.RecordAsync(w.A, w.Running.KeyResults[0].Id, 10, TestData.Alice);
            var periodB = await okr.Periods.CreateAsync(w.B, OkrPeriod.CalendarQuarter(PeriodId.New(w.Clock), 2026, 1));
            w.OfB = await okr.Objectives.CreateAsync(w.B, w.New(periodB, "Tenant B"));
            return w;
        }

        public Objective New(OkrPeriod period, string title, int keyResults = 3) =>
            Objective.Create(ObjectiveId.New(Clock), period.Id, title, TestData.Alice, Clock, keyResults: TestData.Krs(keyResults));

        public async Task<string> Snapshot() =>
            OkrJson.Serialize(await Store.ExportAsync(A)) + OkrJson.Serialize(await Store.ExportAsync(B));
    }

    public static TheoryData<string, Func<World, Task>, Type, string> Cases()
    {
        static Task T<TResult>(ValueTask<TResult> call) => call.AsTask();
        var data = new TheoryData<string, Func<World, Task>, Type, string>
        {
            // Text: empty, whitespace, over-long, control characters.
            { "empty title on edit", w => T(w.Okr.Objectives.EditAsync(w.A, w.Draft.Id, (o, c) => o.WithTitle("", c))), typeof(OkrValidationException), OkrErrorCodes.Required },
            { "whitespace title on edit", w => T(w.Okr.Objectives.EditAsync(w.A, w.Draft.Id, (o, c) => o.WithTitle(" \t ", c))), typeof(OkrValidationException), OkrErrorCodes.Required },
            { "over-long title on edit", w => T(w.Okr.Objectives.EditAsync(w.A, w.Draft.Id, (o, c) => o.WithTitle(new string('x', Objective.MaxTitleLength + 1), c))), typeof(OkrValidationException), OkrErrorCodes.TooLong },
            { "control character in title", w => T(w.Okr.Objectives.EditAsync(w.A, w.Draft.Id, (o, c) => o.WithTitle("Grow\u0000", c))), typeof(OkrValidationException), OkrErrorCodes.ControlCharacters },
            { "control character in a check-in note", w => T(w.Okr.CheckIns.RecordAsync(w.A, w.Running.KeyResults[0].Id, 5, TestData.Alice, note: "bell\a")), typeof(OkrValidationException), OkrErrorCodes.ControlCharacters },
            { "blank reopen reason", w => T(w.Okr.Periods.ReopenAsync(w.A, w.Closed.Id, "  ")), typeof(OkrValidationException), OkrErrorCodes.Required },
            { "blank override reason", w => T(w.Okr.Periods.CloseAsync(w.A, w.Active.Id, new Dictionary<ObjectiveId, GradeOverride> { [w.Running.Id] = new(0.5, TestData.Alice, "") })), typeof(OkrValidationException), OkrErrorCodes.Required },

            // Numbers: NaN, infinities, out of range.
            { "NaN override grade", w => T(w.Okr.Periods.CloseAsync(w.A, w.Active.Id, new Dictionary<ObjectiveId, GradeOverride> { [w.Running.Id] = new(double.NaN, TestData.Alice, "why") })), typeof(OkrValidationException), OkrErrorCodes.NotFinite },
            { "infinite override grade", w => T(w.Okr.Periods.CloseAsync(w.A, w.Active.Id, new Dictionary<ObjectiveId, GradeOverride> { [w.Running.Id] = new(double.PositiveInfinity, TestData.Alice, "why") })), typeof(OkrValidationException), OkrErrorCodes.NotFinite },
            { "override grade above 1", w => T(w.Okr.Periods.CloseAsync(w.A, w.Active.Id, new Dictionary<ObjectiveId, GradeOverride> { [w.Running.Id] = new(1.5, TestData.Alice, "why") })), typeof(OkrValidationException), OkrErrorCodes.OutOfRange },
            { "negative infinite alignment weight", w => T(w.Okr.Objectives.AlignAsync(w.A, w.Draft.Id, new AlignmentLink(w.Running.Id, null, 1) is var l ? WithWeight(l, double.NegativeInfinity) : null!)), typeof(OkrValidationException), OkrErrorCodes.NotFinite },
            { "a check-in value beyond ±10^18", w => T(w.Okr.CheckIns.RecordAsync(w.A, w.Running.KeyResults[0].Id, decimal.MaxValue, TestData.Alice)), typeof(OkrValidationException), OkrErrorCodes.OutOfRange },
            { "a check-in value of -10^18 - 1", w => T(w.Okr.CheckIns.RecordAsync(w.A, w.Running.KeyResults[0].Id, -1_000_000_000_000_000_001m, TestData.Alice)), typeof(OkrValidationException), OkrErrorCodes.OutOfRange },
            { "NaN confidence", w => T(w.Okr.CheckIns.RecordAsync(w.A, w.Running.KeyResults[0].Id, 5, TestData.Alice, confidence: new Confidence(double.NaN))), typeof(OkrValidationException), OkrErrorCodes.NotFinite },

            // Unknown ids and another tenant's ids.
            { "unknown objective", w => T(w.Okr.Objectives.ActivateAsync(w.A, new ObjectiveId(Guid.NewGuid()))), typeof(OkrNotFoundException), "does not exist" },
            { "another tenant's objective", w => T(w.Okr.Objectives.EditAsync(w.A, w.OfB.Id, (o, c) => o.WithTitle("Taken over", c))), typeof(OkrNotFoundException), "does not exist" },
            { "another tenant's key result", w => T(w.Okr.CheckIns.RecordAsync(w.A, w.OfB.KeyResults[0].Id, 5, TestData.Alice)), typeof(OkrNotFoundException), "No objective holds" },
            { "unknown check-in to correct", w => T(w.Okr.CheckIns.CorrectAsync(w.A, new CheckInId(Guid.NewGuid()), 5, TestData.Alice)), typeof(OkrNotFoundException), "does not exist" },
            { "another tenant's check-in to correct", w => T(w.Okr.CheckIns.CorrectAsync(w.B, w.CheckIn.Id, 5, TestData.Alice)), typeof(OkrNotFoundException), "does not exist" },
            { "unknown period", w => T(w.Okr.Periods.CloseAsync(w.A, new PeriodId(Guid.NewGuid()))), typeof(OkrNotFoundException), "does not exist" },
            { "align to an unknown parent", w => T(w.Okr.Objectives.AlignAsync(w.A, w.Draft.Id, new AlignmentLink(new ObjectiveId(Guid.NewGuid())))), typeof(OkrValidationException), OkrErrorCodes.AlignmentTargetMissing },
            { "align to another tenant's objective", w => T(w.Okr.Objectives.AlignAsync(w.A, w.Draft.Id, new AlignmentLink(w.OfB.Id))), typeof(OkrValidationException), OkrErrorCodes.AlignmentTargetMissing },

            // Illegal transitions, rules, cycles, closed periods.
            { "activate with too few key results", w => T(w.Okr.Objectives.ActivateAsync(w.A, w.Draft.Id)), typeof(OkrValidationException), OkrErrorCodes.KeyResultCount },
            { "activate twice", w => T(w.Okr.Objectives.ActivateAsync(w.A, w.Running.Id)), typeof(OkrValidationException), OkrErrorCodes.IllegalTransition },
            { "create a non-draft", w => T(w.Okr.Objectives.CreateAsync(w.A, w.New(w.Active, "Active already").Activate(w.Clock))), typeof(OkrValidationException), OkrErrorCodes.IllegalTransition },
            { "create an existing id", w => T(w.Okr.Objectives.CreateAsync(w.A, w.Draft.WithVersion(0))), typeof(OkrConcurrencyException), "already exists" },
            { "activate a closed period", w => T(w.Okr.Periods.ActivateAsync(w.A, w.Closed.Id)), typeof(OkrValidationException), OkrErrorCodes.IllegalTransition },
            { "a cycle", w => T(w.Okr.Objectives.AlignAsync(w.A, w.Running.Id, new AlignmentLink(w.Child.Id))), typeof(OkrValidationException), OkrErrorCodes.AlignmentCycle },
            { "align to itself", w => T(w.Okr.Objectives.AlignAsync(w.A, w.Running.Id, new AlignmentLink(w.Running.Id))), typeof(OkrValidationException), OkrErrorCodes.InvalidAlignment },
            { "edit in a closed period", w => T(w.Okr.Objectives.EditAsync(w.A, w.Frozen.Id, (o, c) => o.WithDescription("late", c))), typeof(OkrValidationException), OkrErrorCodes.ReadOnlyState },
            { "check in on a closed period", w => T(w.Okr.CheckIns.RecordAsync(w.A, w.Frozen.KeyResults[0].Id, 5, TestData.Alice, effectiveAt: w.Closed.Dates.End.AtMidnight().InUtc().ToInstant())), typeof(OkrValidationException), OkrErrorCodes.PeriodClosed },
            { "create in a closed period", w => T(w.Okr.Objectives.CreateAsync(w.A, w.New(w.Closed, "Too late"))), typeof(OkrValidationException), OkrErrorCodes.PeriodClosed },
            { "a batch with one bad check-in", w => T(w.Okr.CheckIns.RecordManyAsync(w.A, [CheckIn.Record(CheckInId.New(w.Clock), w.Running.KeyResults[1].Id, 5, TestData.Alice, w.Clock), CheckIn.Record(CheckInId.New(w.Clock), w.OfB.KeyResults[0].Id, 5, TestData.Alice, w.Clock)])), typeof(OkrNotFoundException), "No objective holds" },
            { "a check-in recorded in the future", w => T(w.Okr.CheckIns.RecordManyAsync(w.A, [new CheckIn(CheckInId.New(w.Clock), w.Running.KeyResults[0].Id, 5, TestData.Alice, w.Clock.GetCurrentInstant(), w.Clock.GetCurrentInstant() + Duration.FromMinutes(5))])), typeof(OkrValidationException), "cannot be recorded in the future" },
            { "a reused check-in id with other content", w => T(w.Okr.CheckIns.RecordAsync(w.A, w.Running.KeyResults[0].Id, 99, TestData.Alice, id: w.CheckIn.Id)), typeof(OkrValidationException), OkrErrorCodes.DuplicateId },

            // Malformed, deeply nested and huge JSON on import.
            { "malformed JSON", w => Import(w, "{\"format\": \"okr/1\", \"tenant\": "), typeof(OkrFormatException), "Malformed JSON" },
            { "deeply nested JSON", w => Import(w, "{\"format\": \"okr/1\", \"x\": " + new string('[', 500) + new string(']', 500) + "}"), typeof(OkrFormatException), "depth" },
            { "JSON over the size limit", w => w.Store.ImportAsync(w.A, OkrJson.Deserialize("{\"format\": \"okr/1\", \"pad\": \"" + new string('x', 4096) + "\"}", new OkrJsonOptions { MaxDocumentBytes = 4096 })).AsTask(), typeof(OkrFormatException), "larger than the limit" },
            { "unknown member", w => Import(w, "{\"format\": \"okr/1\", \"tenant\": \"" + w.A + "\", \"surprise\": 1}"), typeof(OkrFormatException), "surprise" },
            { "a document for another tenant", w => w.Store.ImportAsync(w.A, new OkrDocument(w.B, [], [], [])).AsTask(), typeof(OkrValidationException), OkrErrorCodes.Mismatch },
        };
        return data;
    }

    private static AlignmentLink WithWeight(AlignmentLink link, double weight) => new(link.ParentObjectiveId, link.ParentKeyResultId, weight, link.Kind);

    private static Task Import(World w, string json) => w.Store.ImportAsync(w.A, OkrJson.Deserialize(json)).AsTask();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_is_refused_typed_and_changes_nothing(string name, Func<World, Task> call, Type expected, string named)
    {
        var world = await World.Create();
        var before = await world.Snapshot();

        var error = await Record.ExceptionAsync(() => call(world));

        Assert.True(error is not null, $"{name}: nothing was thrown");
        Assert.IsType(expected, error);
        var text = error is OkrValidationException v ? string.Join(" | ", v.Violations.Select(x => $"{x.Code}: {x.Message}")) : error.Message;
        Assert.Contains(named, text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await world.Snapshot());
    }

    [Fact]
    public async Task Decimals_at_their_limits_are_stored_exactly_and_score_without_overflow()
    {
        var world = await World.Create();
        var kr = world.Running.KeyResults[0].Id; // increase from 100 to 200
        foreach (var (value, progress) in new[] { (1_000_000_000_000_000_000m, 1.0), (-1_000_000_000_000_000_000m, 0.0), (0.0000000001m, 0.0), (99.999999999999999999m, 0.0), (150.5m, 0.505), (200.00000000000000000000000001m, 1.0) })
        {
            world.Clock.Advance(Duration.FromMinutes(1));
            await world.Okr.CheckIns.RecordAsync(world.A, kr, value, TestData.Alice);
            var summary = await world.Okr.Progress.SummarizeAsync(world.A, world.Active.Id);

            Assert.Equal(value.ToString(System.Globalization.CultureInfo.InvariantCulture), (await world.Okr.CheckIns.HistoryAsync(world.A, kr))[^1].Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(progress, summary.Objectives.Single(o => o.Progress.Objective.Id == world.Running.Id).Progress.KeyResults[0].Progress!.Value, 6);
        }
    }

    [Fact]
    public void Options_with_nulls_or_out_of_range_limits_are_refused_by_name()
    {
        var store = new InMemoryOkrStore();
        var clock = TestData.Clock();

        var nulls = Assert.Throws<ArgumentException>(() => new OkrService(store, clock, new OkrServiceOptions { Rules = null!, TimeZone = null! }));
        Assert.Contains("Rules, TimeZone", nulls.Message, StringComparison.Ordinal);

        var limits = Assert.Throws<OkrValidationException>(() => OkrJson.Deserialize("{}", new OkrJsonOptions { MaxDocumentBytes = 1, MaxDepth = 0 }));
        Assert.Equal(["MaxDocumentBytes", "MaxDepth"], limits.Violations.Select(v => v.Member));
    }
}
