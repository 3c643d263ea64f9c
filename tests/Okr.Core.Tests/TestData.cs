using NodaTime;
using NodaTime.Testing;

namespace Okr.Core.Tests;

/// <summary>Small, readable fixtures shared by the example tests.</summary>
internal static class TestData
{
    public static readonly Instant Start = Instant.FromUtc(2026, 1, 5, 9, 0);

    public static readonly OwnerRef Alice = OwnerRef.Person("alice");

    public static FakeClock Clock() => new(Start);

    public static KeyResult Kr(string title = "Raise weekly actives", Measure? measure = null, double weight = 1.0) =>
        new(new KeyResultId(Guid.NewGuid()), title, measure ?? new IncreaseMeasure(100, 200), weight);

    public static KeyResult[] Krs(int count) => [.. Enumerable.Range(1, count).Select(i => Kr($"Key result {i}"))];

    public static OkrPeriod Quarter(PeriodState state = PeriodState.Active) =>
        new OkrPeriod(new PeriodId(Guid.NewGuid()), "2026-Q1", new DateInterval(new LocalDate(2026, 1, 1), new LocalDate(2026, 3, 31)), state);

    public static Objective Draft(IClock clock, int keyResults = 3, PeriodId? period = null) =>
        Objective.Create(new ObjectiveId(Guid.NewGuid()), period ?? new PeriodId(Guid.NewGuid()), "Delight our customers", Alice, clock, keyResults: Krs(keyResults));

    public static OkrViolation Single(Action action)
    {
        var ex = Assert.Throws<OkrValidationException>(action);
        return Assert.Single(ex.Violations);
    }

    public static IReadOnlyList<OkrViolation> All(Action action) => Assert.Throws<OkrValidationException>(action).Violations;
}
