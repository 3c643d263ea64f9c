using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace Okr.Core.Tests.Service;

/// <summary>Random sequences of valid and invalid facade calls: a rejected call never changes what is stored.</summary>
public class RejectedCallProperties
{
    private static readonly Type[] Documented =
        [typeof(OkrValidationException), typeof(OkrNotFoundException), typeof(OkrConcurrencyException), typeof(OkrFormatException), typeof(OkrAccessDeniedException)];

    /// <summary>Calls that are usually valid, picking their targets from what is stored at the time.</summary>
    private static readonly Func<BadInputSweepTests.World, int, Task>[] Valid =
    [
        (w, n) => w.Okr.Objectives.CreateAsync(w.A, w.New(w.Active, $"Objective {n}", 1 + (n % 6))).AsTask(),
        async (w, n) => await w.Okr.Objectives.ActivateAsync(w.A, (await Pick(w, n)).Id),
        async (w, n) => await w.Okr.Objectives.EditAsync(w.A, (await Pick(w, n)).Id, (o, c) => o.WithTitle($"Renamed {n}", c)),
        async (w, n) => await w.Okr.Objectives.AddKeyResultAsync(w.A, (await Pick(w, n)).Id, TestData.Kr($"Added {n}")),
        async (w, n) => await w.Okr.Objectives.AlignAsync(w.A, (await Pick(w, n)).Id, new AlignmentLink((await Pick(w, n / 7)).Id)),
        async (w, n) => await w.Okr.Objectives.CancelAsync(w.A, (await Pick(w, n)).Id),
        async (w, n) =>
        {
            var o = await Pick(w, n);
            await w.Okr.CheckIns.RecordAsync(w.A, o.KeyResults[n % o.KeyResults.Count].Id, n % 250, TestData.Alice);
        },
        async (w, n) => await w.Okr.CheckIns.CorrectAsync(w.A, w.CheckIn.Id, n % 250, TestData.Alice, "fix"),
        async (w, n) => await w.Okr.Periods.ReopenAsync(w.A, w.Closed.Id, $"Audit {n}"),
    ];

    private static async Task<Objective> Pick(BadInputSweepTests.World w, int n)
    {
        var all = await w.Okr.Objectives.ListAsync(w.A).ToListAsync();
        return all[(n & int.MaxValue) % all.Count];
    }

    [Property(MaxTest = 200)]
    public Property After_a_rejected_call_the_export_is_unchanged() =>
        Prop.ForAll(Gen.Choose(0, 1_000_000).Zip(Gen.Choose(0, 99)).ListOf().Select(l => l.Take(25).ToList()).ToArbitrary(), steps =>
        {
            var invalid = BadInputSweepTests.Cases().Select(row => (Func<BadInputSweepTests.World, Task>)row[1]).ToArray();
            var world = BadInputSweepTests.World.Create().GetAwaiter().GetResult();
            foreach (var (n, choice) in steps)
            {
                world.Clock.Advance(Duration.FromMinutes(7));
                Func<Task> call = choice < 60 ? () => Valid[n % Valid.Length](world, n) : () => invalid[n % invalid.Length](world);
                var before = world.Snapshot().GetAwaiter().GetResult();
                var error = Record.ExceptionAsync(call).GetAwaiter().GetResult();
                if (error is not null)
                {
                    Assert.Contains(error.GetType(), Documented);
                    Assert.False(string.IsNullOrWhiteSpace(error.Message));
                    Assert.Equal(before, world.Snapshot().GetAwaiter().GetResult());
                }
            }
        });
}
