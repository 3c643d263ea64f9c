using NodaTime;
using Okr.Core.Events;
using Okr.Core.Scoring;
using Okr.Core.Storage;

namespace Okr.Core.Service;

/// <summary>
/// The one entry point a host needs: periods, objectives, check-ins and progress, each a focused
/// part. It applies the rules before every write, takes every instant from the injected clock, uses
/// optimistic concurrency, and writes only through the store.
/// </summary>
/// <remarks>
/// A rejected call throws (<see cref="OkrValidationException"/>, <see cref="OkrNotFoundException"/>,
/// <see cref="OkrConcurrencyException"/>) and writes nothing. Thread-safe when the store is.
/// </remarks>
public sealed class OkrService
{
    /// <summary>Creates the service.</summary>
    /// <param name="store">Where data is kept.</param>
    /// <param name="clock">Where "now" comes from.</param>
    /// <param name="options">The policies; defaults when null.</param>
    public OkrService(IOkrStore store, IClock clock, OkrServiceOptions? options = null)
        : this(store, clock, options ?? new OkrServiceOptions(), actor: null)
    {
    }

    private OkrService(IOkrStore store, IClock clock, OkrServiceOptions options, OwnerRef? actor)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        Validate(options);
        Store = store as TracedOkrStore ?? new TracedOkrStore(store);
        Clock = clock;
        Options = options;
        Actor = actor;
        Periods = new OkrPeriods(this);
        Objectives = new OkrObjectives(this);
        CheckIns = new OkrCheckIns(this);
        Progress = new OkrProgress(this);
        Transfer = new OkrTransfer(this);
    }

    /// <summary>
    /// The store. Internal: the service, and every service <see cref="As"/> returns, is the checked surface; the raw
    /// store bypasses the access policy, so hosts that need it take it from where they built it (or from DI).
    /// </summary>
    internal IOkrStore Store { get; }

    /// <summary>
    /// Who calls through this instance: null for the root service, which acts as the system (imports,
    /// background jobs) and is not checked; set by <see cref="As"/>.
    /// </summary>
    public OwnerRef? Actor { get; }

    /// <summary>The clock.</summary>
    public IClock Clock { get; }

    /// <summary>The policies.</summary>
    public OkrServiceOptions Options { get; }

    /// <summary>Create, activate, close, reopen and archive periods.</summary>
    public OkrPeriods Periods { get; }

    /// <summary>Create, edit, activate, align and cancel objectives.</summary>
    public OkrObjectives Objectives { get; }

    /// <summary>Record and correct check-ins; read history.</summary>
    public OkrCheckIns CheckIns { get; }

    /// <summary>Progress, health, forecasts and period summaries.</summary>
    public OkrProgress Progress { get; }

    /// <summary>Whole documents in and out: imports checked against every rule and written atomically, exports.</summary>
    public OkrTransfer Transfer { get; }

    /// <summary>
    /// The same service acting for <paramref name="actor"/>: every call is checked against
    /// <see cref="OkrServiceOptions.AccessPolicy"/> (when one is set), and every objective it writes records
    /// the actor in <see cref="Objective.UpdatedBy"/> (always). Cheap: create one per request.
    /// </summary>
    /// <param name="actor">The person (or team, or unit) calling.</param>
    /// <returns>A service bound to the actor, sharing the store, clock and options.</returns>
    /// <exception cref="ArgumentException"><paramref name="actor"/> is the default reference.</exception>
    public OkrService As(OwnerRef actor)
    {
        if (actor.IsEmpty)
        {
            throw new ArgumentException("The actor must not be the default reference.", nameof(actor));
        }

        return new OkrService(Store, Clock, Options, actor);
    }

    /// <summary>
    /// The options that apply in a tenant: <see cref="Options"/> with the tenant's own settings
    /// (<see cref="OkrServiceOptions.TenantSettings"/>) over them, cached for
    /// <see cref="OkrServiceOptions.TenantSettingsCacheDuration"/>. <see cref="Options"/> itself when no provider is set.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the provider's lookup.</param>
    /// <returns>The tenant's options.</returns>
    /// <exception cref="OkrValidationException">The provider's settings for the tenant are invalid (an expectation outside 0..1).</exception>
    public ValueTask<OkrServiceOptions> OptionsForAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        CheckTenant(tenant);
        return Options.TenantSettings is null ? ValueTask.FromResult(Options) : TenantSettingsCache.GetAsync(this, tenant, cancellationToken);
    }

    /// <summary>Forgets one tenant's cached settings: the next call in the tenant asks the provider again.</summary>
    /// <param name="tenant">The tenant whose settings changed.</param>
    public void InvalidateTenantSettings(TenantId tenant) => TenantSettingsCache.Forget(Options.TenantSettings, tenant);

    /// <summary>Forgets every tenant's cached settings.</summary>
    public void InvalidateTenantSettings() => TenantSettingsCache.Clear(Options.TenantSettings);

    /// <summary>Options are records a host may build with <c>with</c>; a null slipped in is named here, not found later.</summary>
    private static void Validate(OkrServiceOptions options)
    {
        var missing = new List<string>();
        void Need(object? value, string name)
        {
            if (value is null)
            {
                missing.Add(name);
            }
        }

        Need(options.Rules, nameof(OkrServiceOptions.Rules));
        Need(options.Scoring, nameof(OkrServiceOptions.Scoring));
        Need(options.Health, nameof(OkrServiceOptions.Health));
        Need(options.Assessment, nameof(OkrServiceOptions.Assessment));
        Need(options.TimeZone, nameof(OkrServiceOptions.TimeZone));

        if (missing.Count > 0)
        {
            throw new ArgumentException($"OkrServiceOptions has null where a value is required: {string.Join(", ", missing)}. Leave a member out to keep its default.", nameof(options));
        }
    }

    /// <summary>The instruments this service records on: the meter factory's "Okr.Core" meter, or a meter of the library's own.</summary>
    internal OkrInstruments Instruments => _instruments ??= OkrTelemetry.For(Options.MeterFactory);

    private OkrInstruments? _instruments;

    /// <summary>Runs a facade operation inside its activity and duration; a failure is marked with its exception's type.</summary>
    internal async ValueTask<T> TraceAsync<T>(string operation, TenantId tenant, Func<ValueTask<T>> call)
    {
        var traced = OkrTelemetry.Start(Instruments, operation, tenant);
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (traced.Fail(ex))
        {
            throw;
        }
        finally
        {
            traced.Dispose();
        }
    }

    /// <summary>An enumeration as a facade operation: the activity spans the enumeration, from the first item asked for to disposal.</summary>
    internal async IAsyncEnumerable<T> TraceEnumerable<T>(string operation, TenantId tenant, IAsyncEnumerable<T> source, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var traced = OkrTelemetry.Start(Instruments, operation, tenant);
        try
        {
            var items = source.WithCancellation(cancellationToken).ConfigureAwait(false).GetAsyncEnumerator();
            try
            {
                while (true)
                {
                    bool more;
                    try
                    {
                        more = await items.MoveNextAsync();
                    }
                    catch (Exception ex) when (traced.Fail(ex))
                    {
                        throw;
                    }

                    if (!more)
                    {
                        yield break;
                    }

                    yield return items.Current;
                }
            }
            finally
            {
                await items.DisposeAsync();
            }
        }
        finally
        {
            traced.Dispose();
        }
    }

    internal Objective Stamp(Objective objective) => objective.Restamp(Actor, Clock.GetCurrentInstant());

    /// <summary>Every facade call names a tenant; the default identifier is refused before anything is read.</summary>
    internal static void CheckTenant(TenantId tenant) => StoreRules.RequireTenant(tenant);

    /// <summary>Refuses a write whose caller loaded another version than the one stored (a stale ETag).</summary>
    internal static void CheckLoadedVersion(string what, long? loaded, long stored)
    {
        if (loaded is { } expected && expected != stored)
        {
            throw new OkrConcurrencyException($"{what} is at version {stored}, not {expected} as loaded: someone else changed it. Load it again and retry.", expected, stored);
        }
    }

    /// <summary>
    /// Commits a unit of work. Under an actor with an access policy, a lost race is reported without the store's
    /// detail: the unit may depend on objectives the actor may not read (the ancestors a cycle check walked, the
    /// objectives a close counted), and their ids and versions must not reach the actor.
    /// </summary>
    internal async ValueTask<OkrCommitResult> CommitAsync(TenantId tenant, OkrChangeSet changes, CancellationToken cancellationToken)
    {
        if (Actor is null || Options.AccessPolicy is null)
        {
            return await Store.CommitAsync(tenant, changes, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await Store.CommitAsync(tenant, changes, cancellationToken).ConfigureAwait(false);
        }
        catch (OkrConcurrencyException)
        {
            throw new OkrConcurrencyException("Something this change depends on was changed by someone else while it was decided; nothing was written. Read again and retry.", 0, null);
        }
        catch (OkrValidationException ex) when (ex.Violations.Any(v => v.Code == OkrErrorCodes.DuplicateId))
        {
            // A store names what holds an id (another objective, a stored version); the actor may not be able to read it.
            throw new OkrValidationException(ex.Violations.Select(v => v.Code == OkrErrorCodes.DuplicateId ? v with { Message = "An id in this change is already in use; use a new id." } : v));
        }
    }

    /// <summary>Whether the actor may read the objective: visibility against the policy's relation.</summary>
    internal async ValueTask<bool> CanReadAsync(TenantId tenant, Objective objective, CancellationToken cancellationToken)
    {
        if (Actor is not { } actor || Options.AccessPolicy is not { } policy || objective.Visibility == Visibility.Public)
        {
            return true;
        }

        var relation = await policy.RelationAsync(tenant, actor, objective.Owner, cancellationToken).ConfigureAwait(false);
        return objective.Visibility == Visibility.Team ? relation >= Access.OkrRelation.Team : relation == Access.OkrRelation.Owner;
    }

    internal async ValueTask DemandReadAsync(TenantId tenant, Objective objective, CancellationToken cancellationToken)
    {
        // Hidden is missing: the same error, word for word, as for an id that does not exist (no visibility, no owner,
        // not even that something is there).
        if (!await CanReadAsync(tenant, objective, cancellationToken).ConfigureAwait(false))
        {
            throw MissingObjective(objective.Id);
        }
    }

    internal static OkrNotFoundException MissingObjective(ObjectiveId id) => new($"Objective {id} does not exist.");

    /// <summary>Whether reads are filtered for an acting person (an actor with an access policy).</summary>
    internal bool Filters => Actor is not null && Options.AccessPolicy is not null;

    /// <summary>Read access to <paramref name="before"/> (when it exists) and write access for its owner and the new owner.</summary>
    internal async ValueTask DemandWriteAsync(TenantId tenant, Objective? before, Objective after, CancellationToken cancellationToken, bool readChecked = false)
    {
        if (Actor is not { } actor || Options.AccessPolicy is not { } policy)
        {
            return;
        }

        if (before is not null && !readChecked)
        {
            await DemandReadAsync(tenant, before, cancellationToken).ConfigureAwait(false);
        }

        foreach (var owner in before is null || before.Owner == after.Owner ? [after.Owner] : new[] { before.Owner, after.Owner })
        {
            if (!await policy.CanWriteAsync(tenant, actor, owner, cancellationToken).ConfigureAwait(false))
            {
                throw new OkrAccessDeniedException($"{actor} may not change objectives owned by {owner} (objective {after.Id}).", actor);
            }
        }
    }

    internal async ValueTask DemandManagePeriodsAsync(TenantId tenant, CancellationToken cancellationToken)
    {
        if (Actor is { } actor && Options.AccessPolicy is { } policy && !await policy.CanManagePeriodsAsync(tenant, actor, cancellationToken).ConfigureAwait(false))
        {
            throw new OkrAccessDeniedException($"{actor} may not manage periods.", actor);
        }
    }

    internal async ValueTask DemandTransferAsync(TenantId tenant, CancellationToken cancellationToken)
    {
        if (Actor is { } actor && Options.AccessPolicy is { } policy && !await policy.CanTransferAsync(tenant, actor, cancellationToken).ConfigureAwait(false))
        {
            throw new OkrAccessDeniedException($"{actor} may not import or export the tenant's data.", actor);
        }
    }

    internal async ValueTask<OkrPeriod> RequirePeriodAsync(TenantId tenant, PeriodId id, CancellationToken cancellationToken)
    {
        CheckTenant(tenant);
        return await Store.GetPeriodAsync(tenant, id, cancellationToken).ConfigureAwait(false)
            ?? throw new OkrNotFoundException($"Period {id} does not exist.");
    }

    internal async ValueTask<Objective> RequireObjectiveAsync(TenantId tenant, ObjectiveId id, CancellationToken cancellationToken)
    {
        CheckTenant(tenant);
        return await Store.GetObjectiveAsync(tenant, id, cancellationToken).ConfigureAwait(false)
            ?? throw MissingObjective(id);
    }

    /// <summary>
    /// Each tenant's settings as the provider last answered, until they expire. The cache belongs to the provider
    /// instance, so every service using it shares it: the root service, every <see cref="As"/> service, and a scoped
    /// service made per request.
    /// </summary>
    private static class TenantSettingsCache
    {
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IOkrTenantSettingsProvider, System.Collections.Concurrent.ConcurrentDictionary<TenantId, (OkrTenantSettings? Settings, Instant Until)>> Caches = new();

        public static async ValueTask<OkrServiceOptions> GetAsync(OkrService service, TenantId tenant, CancellationToken cancellationToken)
        {
            var provider = service.Options.TenantSettings!;
            var entries = Caches.GetOrCreateValue(provider);
            var now = service.Clock.GetCurrentInstant();
            if (!entries.TryGetValue(tenant, out var entry) || now >= entry.Until)
            {
                entry = (await provider.GetAsync(tenant, cancellationToken).ConfigureAwait(false), now + service.Options.TenantSettingsCacheDuration);
                if (service.Options.TenantSettingsCacheDuration > Duration.Zero)
                {
                    entries[tenant] = entry;
                }
            }

            return Merge(service.Options, entry.Settings, tenant);
        }

        public static void Forget(IOkrTenantSettingsProvider? provider, TenantId tenant)
        {
            if (provider is not null && Caches.TryGetValue(provider, out var entries))
            {
                entries.TryRemove(tenant, out _);
            }
        }

        public static void Clear(IOkrTenantSettingsProvider? provider)
        {
            if (provider is not null && Caches.TryGetValue(provider, out var entries))
            {
                entries.Clear();
            }
        }
        private static OkrServiceOptions Merge(OkrServiceOptions options, OkrTenantSettings? own, TenantId tenant)
        {
            if (own is null)
            {
                return options;
            }

            if (own.Assessment is { } a)
            {
                var violations = new ViolationList();
                violations.Finite(a.CommittedExpectation, $"TenantSettings[{tenant}].Assessment.{nameof(AssessmentOptions.CommittedExpectation)}", 0, 1);
                violations.Finite(a.AspirationalExpectation, $"TenantSettings[{tenant}].Assessment.{nameof(AssessmentOptions.AspirationalExpectation)}", 0, 1);
                violations.ThrowIfAny();
            }

            return options with
            {
                TimeZone = own.TimeZone ?? options.TimeZone,
                Rules = own.Rules ?? options.Rules,
                Scoring = own.Scoring ?? options.Scoring,
                Health = own.Health ?? options.Health,
                Assessment = own.Assessment ?? options.Assessment,
                Cadence = own.Cadence ?? options.Cadence,
                Culture = own.Culture ?? options.Culture,
                OwnerCadences = own.OwnerCadences ?? options.OwnerCadences,
            };
        }
    }
}
