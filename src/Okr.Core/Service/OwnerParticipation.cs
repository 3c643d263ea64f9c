using NodaTime;

namespace Okr.Core.Service;

/// <summary>One owner's part in a period: objectives owned, check-ins owed and made.</summary>
public sealed class OwnerParticipation
{
    internal OwnerParticipation(OwnerRef owner, int objectives, int keyResultsOwed, Instant? lastCheckIn, bool isSilent, int windows, int windowsWithCheckIn)
    {
        Owner = owner;
        Objectives = objectives;
        KeyResultsOwed = keyResultsOwed;
        LastCheckIn = lastCheckIn;
        IsSilent = isSilent;
        Windows = windows;
        WindowsWithCheckIn = windowsWithCheckIn;
    }

    /// <summary>The owner, as the host listed it.</summary>
    public OwnerRef Owner { get; }

    /// <summary>The objectives of the period the owner owns, cancelled ones left out (drafts, active and closed ones count).</summary>
    public int Objectives { get; }

    /// <summary>
    /// The key results the owner owes check-ins on: measured, not cancelled, of active objectives, owned by the owner
    /// (a key result without an owner of its own belongs to its objective's owner).
    /// </summary>
    public int KeyResultsOwed { get; }

    /// <summary>When the owner's key results last had a check-in recorded (whatever value is in force); null for never.</summary>
    public Instant? LastCheckIn { get; }

    /// <summary>True when the owner owes check-ins and none was recorded within <see cref="ParticipationOptions.SilentAfter"/>.</summary>
    public bool IsSilent { get; }

    /// <summary>The cadence windows of the period that have ended by now (the window still running is not counted).</summary>
    public int Windows { get; }

    /// <summary>How many of <see cref="Windows"/> had at least one check-in recorded on the owner's key results.</summary>
    public int WindowsWithCheckIn { get; }

    /// <summary><see cref="WindowsWithCheckIn"/> / <see cref="Windows"/>; null before the first window ends or when the owner owes nothing.</summary>
    public double? CheckInRate => Windows == 0 || KeyResultsOwed == 0 ? null : (double)WindowsWithCheckIn / Windows;
}
