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
