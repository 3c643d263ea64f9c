namespace Okr.Core.Health;

/// <summary>Judges health. Implementations must be pure functions of the context.</summary>
public interface IHealthPolicy
{
    /// <summary>Judges the health described by the context.</summary>
    /// <param name="context">The inputs.</param>
    /// <returns>The verdict.</returns>
    HealthAssessment Assess(HealthContext context);
}
