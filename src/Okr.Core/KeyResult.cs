namespace Okr.Core;

/// <summary>
/// A measurable outcome that shows whether its objective is achieved. Immutable: the
/// <c>With…</c> methods return a validated copy.
/// </summary>
public sealed record KeyResult
{
    /// <summary>The longest title accepted by construction; rules may set a lower limit.</summary>
    public const int MaxTitleLength = 500;

    /// <summary>Creates a key result.</summary>
    /// <param name="id">A non-empty identifier.</param>
    /// <param name="title">Not blank, at most <see cref="MaxTitleLength"/> characters, no control characters.</param>
    /// <param name="measure">How progress is measured.</param>
    /// <param name="weight">The relative weight in the objective's roll-up: finite and ≥ 0. Zero means tracked but not counted.</param>
    /// <param name="owner">An optional owner; the objective's owner when null.</param>
    /// <param name="progressSource">Whether progress comes from check-ins or from aligned objectives.</param>
    /// <param name="isCancelled">A cancelled key result is kept for the record and left out of every roll-up.</param>
    /// <exception cref="OkrValidationException">One or more arguments are invalid; all are reported.</exception>
    public KeyResult(
        KeyResultId id,
        string title,
        Measure measure,
        double weight = 1.0,
        OwnerRef? owner = null,
        ProgressSource progressSource = ProgressSource.Measured,
        bool isCancelled = false)
    {
        var violations = new ViolationList();
        violations.NotDefault(id, nameof(Id));
        violations.Text(title, nameof(Title), MaxTitleLength);
        if (measure is null)
        {
            violations.Add(OkrErrorCodes.Required, nameof(Measure), "Measure is required.");
        }

        violations.Finite(weight, nameof(Weight), 0, double.MaxValue);
        if (owner is { IsEmpty: true })
        {
            violations.Add(OkrErrorCodes.Required, nameof(Owner), "Owner, when given, must not be the default reference.");
        }

        if (!Enum.IsDefined(progressSource))
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(ProgressSource), $"ProgressSource {(int)progressSource} is not defined.");
        }

        violations.ThrowIfAny();
        Id = id;
        Title = title;
        Measure = measure!;
        Weight = weight;
        Owner = owner;
        ProgressSource = progressSource;
        IsCancelled = isCancelled;
    }

    /// <summary>The identifier.</summary>
    public KeyResultId Id { get; }

    /// <summary>What the key result measures, in words.</summary>
    public string Title { get; }

    /// <summary>How progress is measured.</summary>
    public Measure Measure { get; }

    /// <summary>The relative weight in the objective's roll-up (≥ 0; 1 by default).</summary>
    public double Weight { get; }

    /// <summary>The owner, when it differs from the objective's.</summary>
    public OwnerRef? Owner { get; }

    /// <summary>Where progress comes from.</summary>
    public ProgressSource ProgressSource { get; }

    /// <summary>Whether the key result was cancelled (kept, never counted).</summary>
    public bool IsCancelled { get; }

    /// <summary>
    /// When its check-ins are due, set on the key result itself; null to inherit (from its owner, its objective, the
    /// objectives it is aligned under, or the tenant: <see cref="Service.OkrCheckIns.CadenceOfAsync"/>).
    /// </summary>
    public CheckInCadence? Cadence { get; init; }

    /// <summary>The system of record its values come from, if any (<see cref="Service.OkrCheckIns.RecordFromSourceAsync"/>).</summary>
    public MetricBinding? Metric { get; init; }

    /// <summary>Returns a copy bound to a source's figure, or to none (null).</summary>
    /// <param name="metric">The binding, or null.</param>
    /// <returns>The copy.</returns>
    public KeyResult WithMetric(MetricBinding? metric) => this with { Metric = metric };

    /// <summary>Returns a copy with its own check-in cadence, or none (null) to inherit one.</summary>
    /// <param name="cadence">The cadence, or null.</param>
    /// <returns>The copy.</returns>
    public KeyResult WithCadence(CheckInCadence? cadence) => this with { Cadence = cadence };

    /// <summary>Returns a copy with another title.</summary>
    /// <param name="title">The new title.</param>
    /// <returns>The copy.</returns>
    /// <exception cref="OkrValidationException">The title is invalid.</exception>
    public KeyResult WithTitle(string title) => new(Id, title, Measure, Weight, Owner, ProgressSource, IsCancelled) { Cadence = Cadence, Metric = Metric };

    /// <summary>Returns a copy with another measure. Rules reject a change of measure type after the first check-in.</summary>
    /// <param name="measure">The new measure.</param>
    /// <returns>The copy.</returns>
    public KeyResult WithMeasure(Measure measure) => new(Id, Title, measure, Weight, Owner, ProgressSource, IsCancelled) { Cadence = Cadence, Metric = Metric };

    /// <summary>Returns a copy with another weight.</summary>
    /// <param name="weight">Finite and ≥ 0.</param>
    /// <returns>The copy.</returns>
    /// <exception cref="OkrValidationException">The weight is negative, NaN or infinite.</exception>
    public KeyResult WithWeight(double weight) => new(Id, Title, Measure, weight, Owner, ProgressSource, IsCancelled) { Cadence = Cadence, Metric = Metric };

    /// <summary>Returns a copy with another owner.</summary>
    /// <param name="owner">The new owner, or null for the objective's owner.</param>
    /// <returns>The copy.</returns>
    public KeyResult WithOwner(OwnerRef? owner) => new(Id, Title, Measure, Weight, owner, ProgressSource, IsCancelled) { Cadence = Cadence, Metric = Metric };

    /// <summary>Returns a copy with another progress source.</summary>
    /// <param name="source">The new source.</param>
    /// <returns>The copy.</returns>
    public KeyResult WithProgressSource(ProgressSource source) => new(Id, Title, Measure, Weight, Owner, source, IsCancelled) { Cadence = Cadence, Metric = Metric };

    /// <summary>Returns a cancelled copy; it stays on the objective but is left out of every roll-up.</summary>
    /// <returns>The copy.</returns>
    public KeyResult Cancel() => new(Id, Title, Measure, Weight, Owner, ProgressSource, isCancelled: true) { Cadence = Cadence, Metric = Metric };
}
