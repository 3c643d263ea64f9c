using NodaTime;
using Okr.Core.Events;
using Okr.Core.Serialization;

namespace Okr.Core.Storage;

/// <summary>
/// The store as the facade calls it: every call in an activity named <c>okr.store.*</c> (tagged with the tenant's id,
/// marked with the exception's type when it fails), and the call itself, untouched, when nobody listens.
/// </summary>
#pragma warning disable CS1591 // Each member is the IOkrStore member of the same name, traced.
internal sealed class TracedOkrStore(IOkrStore inner) : IOkrStore
{
    public ValueTask<OkrCommitResult> CommitAsync(TenantId tenant, OkrChangeSet changes, CancellationToken cancellationToken = default) =>
        OkrTelemetry.Source.HasListeners() ? Trace("okr.store.commit", tenant, () => inner.CommitAsync(tenant, changes, cancellationToken)) : inner.CommitAsync(tenant, changes, cancellationToken);

    public ValueTask<PeriodContent> GetPeriodContentAsync(TenantId tenant, PeriodId period, CancellationToken cancellationToken = default) =>
        OkrTelemetry.Source.HasListeners() ? Trace("okr.store.get_period_content", tenant, () => inner.GetPeriodContentAsync(tenant, period, cancellationToken)) : inner.GetPeriodContentAsync(tenant, period, cancellationToken);

    public ValueTask<OkrPeriod?> GetPeriodAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default) =>
        OkrTelemetry.Source.HasListeners() ? Trace("okr.store.get_period", tenant, () => inner.GetPeriodAsync(tenant, id, cancellationToken)) : inner.GetPeriodAsync(tenant, id, cancellationToken);

    public IAsyncEnumerable<OkrPeriod> ListPeriodsAsync(TenantId tenant, CancellationToken cancellationToken = default) =>
        OkrTelemetry.Source.HasListeners() ? Enumerate("okr.store.list_periods", tenant, inner.ListPeriodsAsync(tenant, cancellationToken)) : inner.ListPeriodsAsync(tenant, cancellationToken);

    public ValueTask<Objective?> GetObjectiveAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default) =>
        OkrTelemetry.Source.HasListeners() ? Trace("okr.store.get_objective", tenant, () => inner.GetObjectiveAsync(tenant, id, cancellationToken)) : inner.GetObjectiveAsync(tenant, id, cancellationToken);

    public ValueTask<IReadOnlyList<Objective>> GetObjectivesAsync(TenantId tenant, IReadOnlyCollection<ObjectiveId> ids, CancellationToken cancellationToken = default) =>
        OkrTelemetry.Source.HasListeners() ? Trace("okr.store.get_objectives", tenant, () => inner.GetObjectivesAsync(tenant, ids, cancellationToken)) : inner.GetObjectivesAsync(tenant, ids, cancellationToken);

    public IAsyncEnumerable<OkrPeriod> ListPeriodHistoryAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken = default) =>
        OkrTelemetry.Source.HasListeners() ? Enumerate("okr.store.list_period_history", tenant, inner.ListPeriodHistoryAsync(tenant, id, cancellationToken)) : inner.ListPeriodHistoryAsync(tenant, id, cancellationToken);

    public IAsyncEnumerable<Objective> ListObjectiveHistoryAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken = default) =>
        OkrTelemetry.Source.HasListeners() ? Enumerate("okr.store.list_objective_history", tenant, inner.ListObjectiveHistoryAsync(tenant, id, cancellationToken)) : inner.ListObjectiveHistoryAsync(tenant, id, cancellationToken);

    public ValueTask<Objective?> FindObjectiveByKeyResultAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default) =>
        OkrTelemetry.Source.HasListeners() ? Trace("okr.store.find_objective_by_key_result", tenant, () => inner.FindObjectiveByKeyResultAsync(tenant, keyResult, cancellationToken)) : inner.FindObjectiveByKeyResultAsync(tenant, keyResult, cancellationToken);

    public ValueTask<Objective?> FindLastHolderAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default) =>
        OkrTelemetry.Source.HasListeners() ? Trace("okr.store.find_last_holder", tenant, () => inner.FindLastHolderAsync(tenant, keyResult, cancellationToken)) : inner.FindLastHolderAsync(tenant, keyResult, cancellationToken);

    public ValueTask<IReadOnlyDictionary<KeyResultId, Objective>> FindObjectivesByKeyResultsAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, CancellationToken cancellationToken = default) =>
        OkrTelemetry.Source.HasListeners() ? Trace("okr.store.find_objectives_by_key_results", tenant, () => inner.FindObjectivesByKeyResultsAsync(tenant, keyResults, cancellationToken)) : inner.FindObjectivesByKeyResultsAsync(tenant, keyResults, cancellationToken);

    public IAsyncEnumerable<Objective> ListObjectivesAsync(TenantId tenant, ObjectiveQuery query, CancellationToken cancellationToken = default) =>
        OkrTelemetry.Source.HasListeners() ? Enumerate("okr.store.list_objectives", tenant, inner.ListObjectivesAsync(tenant, query, cancellationToken)) : inner.ListObjectivesAsync(tenant, query, cancellationToken);

    public IAsyncEnumerable<(KeyResultId KeyResult, Instant RecordedAt)> ListRecordedAsync(TenantId tenant, PeriodId period, CancellationToken cancellationToken = default) =>
        OkrTelemetry.Source.HasListeners() ? Enumerate("okr.store.list_recorded", tenant, inner.ListRecordedAsync(tenant, period, cancellationToken)) : inner.ListRecordedAsync(tenant, period, cancellationToken);

    public IAsyncEnumerable<Objective> ListSubtreesAsync(TenantId tenant, PeriodId period, IReadOnlyCollection<ObjectiveId> roots, CancellationToken cancellationToken = default) =>
        OkrTelemetry.Source.HasListeners() ? Enumerate("okr.store.list_subtrees", tenant, inner.ListSubtreesAsync(tenant, period, roots, cancellationToken)) : inner.ListSubtreesAsync(tenant, period, roots, cancellationToken);

    public IAsyncEnumerable<Objective> ListAlignedUnderAsync(TenantId tenant, IReadOnlyCollection<PeriodId> periods, IReadOnlyCollection<ObjectiveId> parents, CancellationToken cancellationToken = default) =>
        OkrTelemetry.Source.HasListeners() ? Enumerate("okr.store.list_aligned_under", tenant, inner.ListAlignedUnderAsync(tenant, periods, parents, cancellationToken)) : inner.ListAlignedUnderAsync(tenant, periods, parents, cancellationToken);

    public ValueTask<CheckIn?> GetCheckInAsync(TenantId tenant, CheckInId id, CancellationToken cancellationToken = default) =>
        OkrTelemetry.Source.HasListeners() ? Trace("okr.store.get_check_in", tenant, () => inner.GetCheckInAsync(tenant, id, cancellationToken)) : inner.GetCheckInAsync(tenant, id, cancellationToken);

    public IAsyncEnumerable<CheckIn> GetHistoryAsync(TenantId tenant, KeyResultId keyResult, CancellationToken cancellationToken = default) =>
        OkrTelemetry.Source.HasListeners() ? Enumerate("okr.store.get_history", tenant, inner.GetHistoryAsync(tenant, keyResult, cancellationToken)) : inner.GetHistoryAsync(tenant, keyResult, cancellationToken);

    public ValueTask<IReadOnlyDictionary<KeyResultId, IReadOnlyList<CheckIn>>> GetHistoriesAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, CancellationToken cancellationToken = default) =>
        OkrTelemetry.Source.HasListeners() ? Trace("okr.store.get_histories", tenant, () => inner.GetHistoriesAsync(tenant, keyResults, cancellationToken)) : inner.GetHistoriesAsync(tenant, keyResults, cancellationToken);

    public ValueTask<IReadOnlyDictionary<KeyResultId, CheckIn>> GetValuesAsOfAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, Instant effectiveAt, Instant? knownAt = null, CancellationToken cancellationToken = default) =>
        OkrTelemetry.Source.HasListeners() ? Trace("okr.store.get_values_as_of", tenant, () => inner.GetValuesAsOfAsync(tenant, keyResults, effectiveAt, knownAt, cancellationToken)) : inner.GetValuesAsOfAsync(tenant, keyResults, effectiveAt, knownAt, cancellationToken);

    public ValueTask<IReadOnlyDictionary<KeyResultId, KeyResultCurrent>> GetCurrentValuesAsync(TenantId tenant, IReadOnlyCollection<KeyResultId> keyResults, Instant at, CancellationToken cancellationToken = default) =>
        OkrTelemetry.Source.HasListeners() ? Trace("okr.store.get_current_values", tenant, () => inner.GetCurrentValuesAsync(tenant, keyResults, at, cancellationToken)) : inner.GetCurrentValuesAsync(tenant, keyResults, at, cancellationToken);

    public ValueTask ImportAsync(TenantId tenant, OkrDocument document, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default) =>
        OkrTelemetry.Source.HasListeners() ? Trace("okr.store.import", tenant, () => inner.ImportAsync(tenant, document, progress, cancellationToken)) : inner.ImportAsync(tenant, document, progress, cancellationToken);

    public ValueTask<OkrDocument> ExportAsync(TenantId tenant, PeriodId? period = null, CancellationToken cancellationToken = default) =>
        OkrTelemetry.Source.HasListeners() ? Trace("okr.store.export", tenant, () => inner.ExportAsync(tenant, period, cancellationToken)) : inner.ExportAsync(tenant, period, cancellationToken);

    private static async ValueTask<T> Trace<T>(string name, TenantId tenant, Func<ValueTask<T>> call)
    {
        using var activity = Start(name, tenant);
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (Fail(activity, ex))
        {
            throw;
        }
    }

    private static async ValueTask Trace(string name, TenantId tenant, Func<ValueTask> call)
    {
        using var activity = Start(name, tenant);
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (Fail(activity, ex))
        {
            throw;
        }
    }

    private static async IAsyncEnumerable<T> Enumerate<T>(string name, TenantId tenant, IAsyncEnumerable<T> source)
    {
        using var activity = Start(name, tenant);
        await foreach (var item in source.ConfigureAwait(false))
        {
            yield return item;
        }
    }

    private static System.Diagnostics.Activity? Start(string name, TenantId tenant)
    {
        var activity = OkrTelemetry.Source.StartActivity(name, System.Diagnostics.ActivityKind.Client);
        activity?.SetTag(OkrTelemetry.TenantTag, tenant.ToString());
        return activity;
    }

    private static bool Fail(System.Diagnostics.Activity? activity, Exception exception)
    {
        activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, exception.GetType().Name);
        activity?.SetTag(OkrTelemetry.ErrorTypeTag, exception.GetType().FullName);
        return false;
    }
}
