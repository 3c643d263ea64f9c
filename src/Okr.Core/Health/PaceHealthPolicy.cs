using NodaTime;

namespace Okr.Core.Health;

/// <summary>
/// Health from pace: the expected progress is the curve at the elapsed share of the period (in the
/// organisation's zone); the thresholds judge progress against it; stale outranks every pace
/// verdict; low confidence lowers on track to at risk; a person's override stands over all.
/// </summary>
public sealed class PaceHealthPolicy : IHealthPolicy
{
    /// <summary>Creates the policy.</summary>
    /// <param name="options">The settings; defaults when null.</param>
    /// <exception cref="OkrValidationException">A setting is invalid.</exception>
    public PaceHealthPolicy(HealthOptions? options = null)
    {
        Options = options ?? new HealthOptions();
        var violations = new ViolationList();
        if (Options.Thresholds is null || Options.Curve is null)
        {
            violations.Add(OkrErrorCodes.Required, Options.Thresholds is null ? nameof(HealthOptions.Thresholds) : nameof(HealthOptions.Curve), "Thresholds and Curve are required.");
        }

        if (Options.StaleAfter <= Duration.Zero)
        {
            violations.Add(OkrErrorCodes.OutOfRange, nameof(HealthOptions.StaleAfter), $"StaleAfter must be positive; it is {Options.StaleAfter}.");
        }

        violations.Finite(Options.LowConfidenceBelow, nameof(HealthOptions.LowConfidenceBelow), 0, 1);
        violations.ThrowIfAny();
    }

    /// <summary>The policy with the default settings.</summary>
    public static PaceHealthPolicy Default { get; } = new();

    /// <summary>The settings.</summary>
    public HealthOptions Options { get; }

    /// <summary>
    /// The elapsed share of a period at an instant: (now − first instant) / (end instant − first instant),
    /// where the first instant is the start of the first day and the end instant the start of the day
    /// after the last, both in <paramref name="zone"/>; clamped to 0..1.
    /// </summary>
    /// <param name="period">The period.</param>
    /// <param name="zone">The organisation's time zone.</param>
    /// <param name="now">The instant.</param>
    /// <returns>The share, 0..1.</returns>
    public static double ElapsedShare(OkrPeriod period, DateTimeZone zone, Instant now)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(zone);
        var (start, end) = Bounds(period, zone);
        return Elapsed(start, end, now);
    }

    /// <inheritdoc/>
    public HealthAssessment Assess(HealthContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Assess(FrameOf(context.Period, context.Zone, context.Now), context.Progress, context.LastCheckInAt, context.Confidence, context.Override, context.CheckInOverdue);
    }

    /// <summary>
    /// What every assessment in one period at one instant shares (its bounds, the elapsed share and the expected
    /// progress): a summary works it out once for its tens of thousands of assessments.
    /// </summary>
    /// <param name="period">The period.</param>
    /// <param name="zone">The organisation's zone.</param>
    /// <param name="now">The instant.</param>
    /// <returns>The frame.</returns>
    internal Frame FrameOf(OkrPeriod period, DateTimeZone zone, Instant now)
    {
        var (start, end) = BoundsOf(period, zone);
        var elapsed = Elapsed(start, end, now);
        return new Frame(start, end, now, elapsed, Math.Clamp(Options.Curve.ExpectedAt(elapsed), 0, 1));
    }

    private static double Elapsed(Instant start, Instant end, Instant now) => Math.Clamp((now - start).TotalTicks / (end - start).TotalTicks, 0, 1);

    /// <summary><see cref="Assess(HealthContext)"/> within a frame made by <see cref="FrameOf"/> for this policy.</summary>
    internal HealthAssessment Assess(in Frame frame, double? progress, Instant? lastCheckInAt, Confidence? confidence, HealthOverride? healthOverride = null, bool? checkInOverdue = null)
    {
        var computed = Compute(progress, lastCheckInAt, confidence, frame.Start, frame.End, frame.Now, frame.Expected, checkInOverdue);
        return new HealthAssessment(healthOverride?.Status ?? computed, computed, frame.Elapsed, frame.Expected, progress, healthOverride);
    }

    /// <summary>A period's bounds at an instant with the elapsed share and expected progress there (<see cref="FrameOf"/>).</summary>
    internal readonly record struct Frame(Instant Start, Instant End, Instant Now, double Elapsed, double Expected);

    private HealthStatus Compute(double? progress, Instant? lastCheckInAt, Confidence? confidence, Instant start, Instant end, Instant now, double expected, bool? checkInOverdue)
    {
        // A cadence, when the key result follows one, says whether it is stale; otherwise one number of days does.
        var judgedAt = now < end ? now : end;
        var quietSince = lastCheckInAt ?? start;
        if (checkInOverdue ?? (judgedAt - quietSince >= Options.StaleAfter))
        {
            return HealthStatus.Stale;
        }

        if (progress is not { } p)
        {
            return HealthStatus.NoData;
        }

        var pace = Options.Thresholds.Judge(p, expected);
        return pace == HealthStatus.OnTrack && confidence is { } c && c.Value < Options.LowConfidenceBelow
            ? HealthStatus.AtRisk
            : pace;
    }

    private static (Instant Start, Instant End) Bounds(OkrPeriod period, DateTimeZone zone) => period.InstantsIn(zone);

    /// <summary>
    /// The period's bounds in the zone, remembered for the last period and zone asked about: a summary assesses every
    /// key result of one period against one zone, and the zone conversions were most of an assessment's cost. The
    /// memo is an immutable record swapped whole, keyed by the (immutable) period and zone instances.
    /// </summary>
    private (Instant Start, Instant End) BoundsOf(OkrPeriod period, DateTimeZone zone)
    {
        if (Volatile.Read(ref _bounds) is { } last && ReferenceEquals(last.Period, period) && ReferenceEquals(last.Zone, zone))
        {
            return (last.Start, last.End);
        }

        var (start, end) = Bounds(period, zone);
        Volatile.Write(ref _bounds, new BoundsMemo(period, zone, start, end));
        return (start, end);
    }

    private BoundsMemo? _bounds;

    private sealed record BoundsMemo(OkrPeriod Period, DateTimeZone Zone, Instant Start, Instant End);
}
