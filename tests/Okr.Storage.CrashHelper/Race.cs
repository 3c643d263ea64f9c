using NodaTime;
using Okr.Core;
using Okr.Core.Rules;
using Okr.Core.Service;
using Okr.Core.Storage;

/// <summary>One facade call held at the commit until the test says "go" on standard input.</summary>
internal static class Race
{
    /// <summary>The instant the racing services read from their clocks (the tests' data lies before it).</summary>
    public static readonly Instant Now = Instant.FromUtc(2026, 1, 15, 9, 0);

    public static async Task RunAsync(IOkrStore store, TenantId tenant, string[] call)
    {
        // Activating a period races under the rule that keeps one active period per kind.
        var options = call[0] == "activate-period"
            ? new OkrServiceOptions { Rules = OkrRules.CreateDefault(new OkrRuleOptions { SingleActivePeriodPerKind = true }) }
            : new OkrServiceOptions();
        var okr = new OkrService(new HeldStore(store), new FixedClock(Now), options);
        try
        {
            switch (call[0])
            {
                case "record":
                    await okr.CheckIns.RecordAsync(tenant, KeyResultId.Parse(call[1]), 42m, OwnerRef.Person("racer"));
                    break;
                case "close":
                    await okr.Periods.CloseAsync(tenant, PeriodId.Parse(call[1]));
                    break;
                case "align":
                    await okr.Objectives.AlignAsync(tenant, ObjectiveId.Parse(call[1]), new AlignmentLink(ObjectiveId.Parse(call[2])));
                    break;
                case "create-period":
                    await okr.Periods.CreateAsync(tenant, OkrPeriod.CalendarQuarter(PeriodId.Parse(call[1]), 2026, 3));
                    break;
                case "archive":
                    await okr.Periods.ArchiveAsync(tenant, PeriodId.Parse(call[1]));
                    break;
                case "carry-over":
                    await okr.Periods.CarryOverAsync(tenant, PeriodId.Parse(call[1]), PeriodId.Parse(call[2]), [ObjectiveId.Parse(call[3])]);
                    break;
                case "activate":
                    await okr.Objectives.ActivateAsync(tenant, ObjectiveId.Parse(call[1]));
                    break;
                case "activate-period":
                    await okr.Periods.ActivateAsync(tenant, PeriodId.Parse(call[1]));
                    break;
                case "add-reading":
                    // KR AMOUNT HOURS-BEFORE-NOW: an amount the source "crm" adds under the key "k".
                    var reading = new MetricReading(KeyResultId.Parse(call[1]), "crm", "k", Now - Duration.FromHours(int.Parse(call[3], System.Globalization.CultureInfo.InvariantCulture)), decimal.Parse(call[2], System.Globalization.CultureInfo.InvariantCulture), MetricReadingMode.Add);
                    var result = await okr.CheckIns.RecordFromSourceAsync(tenant, reading, OwnerRef.Person("svc-crm"));
                    if (result.Outcome != MetricRecordOutcome.Recorded)
                    {
                        Say($"lost {result.Outcome}");
                        return;
                    }

                    break;
                default:
                    throw new ArgumentException($"Unknown race call '{call[0]}'.", nameof(call));
            }

            Say("committed");
        }
        catch (OkrException ex)
        {
            Say($"lost {ex.GetType().Name}");
        }
    }

    private static void Say(string line)
    {
        Console.WriteLine(line);
        Console.Out.Flush();
    }

    /// <summary>Says "decided" at the first commit and waits for "go"; a retry after it (a call that reads again) goes through.</summary>
    private sealed class HeldStore(IOkrStore inner) : Okr.Storage.Specification.DelegatingOkrStore(inner)
    {
        private bool _held;

        public override async ValueTask<OkrCommitResult> CommitAsync(TenantId tenant, OkrChangeSet changes, CancellationToken cancellationToken = default)
        {
            if (_held)
            {
                return await base.CommitAsync(tenant, changes, cancellationToken).ConfigureAwait(false);
            }

            _held = true;
            Say("decided");
            var line = await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line != "go")
            {
                throw new InvalidOperationException($"Expected 'go', read '{line}'.");
            }

            return await base.CommitAsync(tenant, changes, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class FixedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }
}
