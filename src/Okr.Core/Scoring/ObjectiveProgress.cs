namespace Okr.Core.Scoring;

/// <summary>An objective's progress and how it was made up.</summary>
public sealed class ObjectiveProgress
{
    internal ObjectiveProgress(Objective objective, double? progress, double? fromKeyResults, double? fromAlignedObjectives, IReadOnlyList<KeyResultProgress> keyResults)
    {
        Objective = objective;
        Progress = progress;
        FromKeyResults = fromKeyResults;
        FromAlignedObjectives = fromAlignedObjectives;
        KeyResults = keyResults;
    }

    /// <summary>The objective.</summary>
    public Objective Objective { get; }

    /// <summary>The objective's progress, or null for no data.</summary>
    public double? Progress { get; }

    /// <summary>The roll-up of its (non-cancelled) key results.</summary>
    public double? FromKeyResults { get; }

    /// <summary>The roll-up of the objectives aligned directly to it (contributing, not cancelled).</summary>
    public double? FromAlignedObjectives { get; }

    /// <summary>Each key result's progress, in the objective's order (cancelled ones included, never counted).</summary>
    public IReadOnlyList<KeyResultProgress> KeyResults { get; }
}
