using NodaTime;
using Okr.Core;

namespace Okr.Samples.HrWebApi;

// What the API reads and writes besides the model types, which travel in their okr/1 shapes (OkrJson.ConfigureWebOptions).

/// <summary>A calendar quarter to plan.</summary>
public sealed record NewQuarter(int Year, int Quarter);

/// <summary>A draft objective with its key results; ids are made by the server.</summary>
public sealed record NewObjective(PeriodId Period, string Title, OwnerRef Owner, IReadOnlyList<NewKeyResult>? KeyResults = null, Visibility Visibility = Visibility.Public, string Description = "")
{
    public Objective ToDraft(IClock clock) => Objective.Create(
        new ObjectiveId(Guid.CreateVersion7()),
        Period,
        Title,
        Owner,
        clock,
        description: Description,
        visibility: Visibility,
        keyResults: KeyResults?.Select(k => new KeyResult(new KeyResultId(Guid.CreateVersion7()), k.Title, k.Measure, k.Weight ?? 1.0)));
}

/// <summary>A key result of a new objective.</summary>
public sealed record NewKeyResult(string Title, Measure Measure, double? Weight = null);

/// <summary>A new title.</summary>
public sealed record TitleChange(string Title);

/// <summary>A link to a parent objective.</summary>
public sealed record NewAlignment(ObjectiveId Parent, double? Weight = null);

/// <summary>A check-in by the caller.</summary>
public sealed record NewCheckIn(KeyResultId KeyResult, decimal Value, string? Note = null, double? Confidence = null, Instant? EffectiveAt = null);

/// <summary>Closing a period, with grades overridden by objective id.</summary>
public sealed record CloseRequest(IReadOnlyDictionary<string, OverrideRequest>? Overrides = null);

/// <summary>A grade that stands instead of the computed one, and why.</summary>
public sealed record OverrideRequest(double Grade, string Reason);

/// <summary>A new team, led by the caller, and its first objective.</summary>
public sealed record NewTeam(string Id, string Name, PeriodId Period, string FirstObjective);

/// <summary>A period's summary, as the dashboard shows it.</summary>
public sealed record SummaryView(double? Score, IReadOnlyList<ObjectiveView> Objectives);

/// <summary>One objective in a summary.</summary>
public sealed record ObjectiveView(ObjectiveId Id, string Title, OwnerRef Owner, double? Progress, string Health);

/// <summary>A closed period's grades.</summary>
public sealed record GradesView(double? Score, IReadOnlyList<GradeView> Objectives);

/// <summary>One objective's grade: the one that stands, the computed one, and why it was overridden.</summary>
public sealed record GradeView(ObjectiveId Id, string Title, double Grade, double Computed, string? OverrideReason);
