using NodaTime;

namespace Okr.Core.Service;

/// <summary>Who of the host's owners takes part in a period: <see cref="OkrProgress.ParticipationAsync"/>.</summary>
public sealed class PeriodParticipation
{
    internal PeriodParticipation(OkrPeriod period, Instant at, IReadOnlyList<OwnerParticipation> owners)
    {
        Period = period;
        At = at;
        Owners = owners;
        WithoutObjectives = [.. owners.Where(o => o.Objectives == 0).Select(o => o.Owner)];
        Silent = [.. owners.Where(o => o.IsSilent).Select(o => o.Owner)];
    }

    /// <summary>The period.</summary>
    public OkrPeriod Period { get; }

    /// <summary>The instant the answers hold for (the service clock's now).</summary>
    public Instant At { get; }

    /// <summary>Every owner asked about, once each, in the order given.</summary>
    public IReadOnlyList<OwnerParticipation> Owners { get; }

    /// <summary>The owners with no objective in the period.</summary>
    public IReadOnlyList<OwnerRef> WithoutObjectives { get; }

    /// <summary>The owners who owe check-ins and recorded none within <see cref="ParticipationOptions.SilentAfter"/>.</summary>
    public IReadOnlyList<OwnerRef> Silent { get; }
}
