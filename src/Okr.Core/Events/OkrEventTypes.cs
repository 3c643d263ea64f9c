namespace Okr.Core.Events;

/// <summary>The event types (<see cref="OkrEvent.Type"/>); <c>docs/events.md</c> lists the data each carries.</summary>
public static class OkrEventTypes
{
    /// <summary>A draft objective was created. Data: <c>objective</c>.</summary>
    public const string ObjectiveCreated = "objective.created";

    /// <summary>An objective's content was edited. Data: <c>objective</c> (after), <c>changes</c> (the okr/1 member names that changed).</summary>
    public const string ObjectiveEdited = "objective.edited";

    /// <summary>A draft objective became active. Data: <c>objective</c>.</summary>
    public const string ObjectiveActivated = "objective.activated";

    /// <summary>An objective was cancelled. Data: <c>objective</c>.</summary>
    public const string ObjectiveCancelled = "objective.cancelled";

    /// <summary>An objective was closed with its grade, as its period closed. Data: <c>objective</c> (with <c>grade</c>).</summary>
    public const string ObjectiveClosed = "objective.closed";

    /// <summary>
    /// A closed objective was reopened in its reopened period to correct its grade. Data: <c>objective</c> (with its
    /// <c>reopenReason</c>; the grade it had is in the event of its close and in the audit trail).
    /// </summary>
    public const string ObjectiveReopened = "objective.reopened";

    /// <summary>An objective gained (or changed) a link to a parent. Data: <c>objective</c>, <c>alignment</c>.</summary>
    public const string ObjectiveAligned = "objective.aligned";

    /// <summary>An objective lost a link to a parent. Data: <c>objective</c>, <c>alignment</c> (the link removed).</summary>
    public const string ObjectiveUnaligned = "objective.unaligned";

    /// <summary>A key result was added. Data: <c>objective</c>, <c>keyResult</c>.</summary>
    public const string KeyResultAdded = "keyResult.added";

    /// <summary>A key result was changed (title, measure, weight, owner, source or cancellation). Data: <c>objective</c>, <c>keyResult</c> (after), <c>changes</c>.</summary>
    public const string KeyResultChanged = "keyResult.changed";

    /// <summary>A key result was removed. Data: <c>objective</c>, <c>keyResult</c> (as it was).</summary>
    public const string KeyResultRemoved = "keyResult.removed";

    /// <summary>A check-in was recorded. Data: <c>checkIn</c>, <c>objectiveId</c>, <c>periodId</c>.</summary>
    public const string CheckInRecorded = "checkIn.recorded";

    /// <summary>A correction of an earlier check-in was recorded. Data: <c>checkIn</c> (whose <c>corrects</c> names the original), <c>objectiveId</c>, <c>periodId</c>.</summary>
    public const string CheckInCorrected = "checkIn.corrected";

    /// <summary>A check-in changed a key result's health. Data: <c>objective</c>, <c>objectiveId</c>, <c>periodId</c>, <c>keyResultId</c>, <c>previous</c>, <c>current</c>.</summary>
    public const string HealthChanged = "health.changed";

    /// <summary>A person overrode an objective's computed grade at close. Data: <c>objective</c> (its <c>grade</c> names who and why).</summary>
    public const string GradeOverridden = "grade.overridden";

    /// <summary>A period was created. Data: <c>period</c>.</summary>
    public const string PeriodCreated = "period.created";

    /// <summary>A period was activated. Data: <c>period</c>.</summary>
    public const string PeriodActivated = "period.activated";

    /// <summary>A period was closed and its objectives graded. Data: <c>period</c>, <c>score</c> (the period's score, when it has one).</summary>
    public const string PeriodClosed = "period.closed";

    /// <summary>A closed period was reopened. Data: <c>period</c> (with its <c>reopenReason</c>).</summary>
    public const string PeriodReopened = "period.reopened";

    /// <summary>A period was archived. Data: <c>period</c>.</summary>
    public const string PeriodArchived = "period.archived";

    /// <summary>A document was imported through <see cref="Service.OkrTransfer.ImportAsync"/>. Data: <c>import</c> (how many periods, objectives and check-ins it wrote).</summary>
    public const string ImportCompleted = "import.completed";
}
