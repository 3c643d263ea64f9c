using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using Okr.Core.Serialization;

namespace Okr.Core.Events;

/// <summary>
/// A change to a tenant's OKRs, as stored in the outbox with the change itself (see <c>docs/events.md</c>). An event
/// exists if and only if its change committed; a dispatcher delivers it at least once, in <see cref="Sequence"/> order
/// per tenant, and a repeated delivery carries the same <see cref="Id"/>.
/// </summary>
/// <param name="Id">The event's identifier, the same on every delivery: de-duplicate on it.</param>
/// <param name="Tenant">The tenant.</param>
/// <param name="Sequence">The tenant's event number: increasing in commit order (numbers may be skipped), 0 before the store assigns it.</param>
/// <param name="Type">What happened, one of <see cref="OkrEventTypes"/>.</param>
/// <param name="OccurredAt">When, from the service's clock.</param>
/// <param name="Actor">Who made the change, when the service acted for someone (<see cref="Service.OkrService.As"/>).</param>
/// <param name="Data">The event's data: a JSON object in the <see cref="Schema"/> shape of its type.</param>
public sealed record OkrEvent(Guid Id, TenantId Tenant, long Sequence, string Type, Instant OccurredAt, OwnerRef? Actor, string Data)
{
    /// <summary>The version of the event contract (envelope and data), written into <see cref="ToJson"/>.</summary>
    public const string Schema = "okr-event/1";

    /// <summary>
    /// The whole event as one JSON object: <c>schema</c>, <c>id</c>, <c>tenant</c>, <c>sequence</c>, <c>type</c>,
    /// <c>occurredAt</c>, <c>actor</c> (when known) and <c>data</c>. What a webhook sends.
    /// </summary>
    /// <returns>The compact JSON text.</returns>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("schema", Schema);
            writer.WriteString("id", Id);
            writer.WriteString("tenant", Tenant.ToString());
            writer.WriteNumber("sequence", Sequence);
            writer.WriteString("type", Type);
            writer.WriteString("occurredAt", InstantPattern.ExtendedIso.Format(OccurredAt));
            if (Actor is { } actor)
            {
                writer.WriteStartObject("actor");
                writer.WriteString("kind", JsonNamingPolicy.CamelCase.ConvertName(actor.Kind.ToString()));
                writer.WriteString("id", actor.ExternalId);
                writer.WriteEndObject();
            }

            writer.WritePropertyName("data");
            writer.WriteRawValue(Data, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The objective the event carries (objective, key-result and grade events), as it was stored by the change.</summary>
    /// <returns>The objective, or null when the event carries none.</returns>
    /// <exception cref="OkrFormatException">The data is not a valid okr-event/1 object.</exception>
    public Objective? ReadObjective() => OkrJson.DeserializeEventData(Data).Objective is { } o ? OkrJsonMapper.Direct.Objective(o) : null;

    /// <summary>The period the event carries (period events), as it was stored by the change.</summary>
    /// <returns>The period, or null when the event carries none.</returns>
    /// <exception cref="OkrFormatException">The data is not a valid okr-event/1 object.</exception>
    public OkrPeriod? ReadPeriod() => OkrJson.DeserializeEventData(Data).Period is { } p ? OkrJsonMapper.Direct.Period(p) : null;

    /// <summary>The check-in the event carries (check-in events).</summary>
    /// <returns>The check-in, or null when the event carries none.</returns>
    /// <exception cref="OkrFormatException">The data is not a valid okr-event/1 object.</exception>
    public CheckIn? ReadCheckIn() => OkrJson.DeserializeEventData(Data).CheckIn is { } c ? OkrJsonMapper.Direct.CheckIn(c) : null;

    /// <summary>The key result the event carries (key-result events: as added or changed, or as it was before removal).</summary>
    /// <returns>The key result, or null when the event carries none.</returns>
    /// <exception cref="OkrFormatException">The data is not a valid okr-event/1 object.</exception>
    public KeyResult? ReadKeyResult() => OkrJson.DeserializeEventData(Data).KeyResult is { } k ? OkrJsonMapper.Direct.KeyResult(k) : null;

    /// <summary>The health change a <see cref="OkrEventTypes.HealthChanged"/> event carries.</summary>
    /// <returns>The change, or null for other events.</returns>
    /// <exception cref="OkrFormatException">The data is not a valid okr-event/1 object.</exception>
    public OkrHealthChange? ReadHealthChange()
    {
        var data = OkrJson.DeserializeEventData(Data);
        return data is { ObjectiveId: { } objective, KeyResultId: { } keyResult, Previous: { } previous, Current: { } current }
            ? new OkrHealthChange(objective, keyResult, previous.Status, current.Status, current.Progress, current.ExpectedProgress)
            : null;
    }
}

/// <summary>What a <see cref="OkrEventTypes.HealthChanged"/> event says.</summary>
/// <param name="Objective">The objective that holds the key result.</param>
/// <param name="KeyResult">The key result.</param>
/// <param name="Previous">The health its previous check-in reported.</param>
/// <param name="Current">The health after the check-in.</param>
/// <param name="Progress">The progress after the check-in, when measured.</param>
/// <param name="ExpectedProgress">The progress expected by then.</param>
public sealed record OkrHealthChange(ObjectiveId Objective, KeyResultId KeyResult, Health.HealthStatus Previous, Health.HealthStatus Current, double? Progress, double ExpectedProgress);

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

/// <summary>
/// Receives events from the outbox, through <see cref="OkrEventDispatcher"/>, outside any caller's request. Delivery is
/// at least once: a handler may see an event again (with the same <see cref="OkrEvent.Id"/>) after a failure or a
/// crash, so make it idempotent. A handler that throws makes the dispatcher retry the tenant's events from that event
/// on, with backoff; other tenants' events go on.
/// </summary>
public interface IOkrEventSubscriber
{
    /// <summary>Handles one event.</summary>
    /// <param name="okrEvent">The event.</param>
    /// <param name="cancellationToken">The dispatcher's token (stopping).</param>
    /// <returns>A task that completes when the event is handled.</returns>
    ValueTask HandleAsync(OkrEvent okrEvent, CancellationToken cancellationToken);
}
