namespace Okr.Core;

/// <summary>Who may see an objective. The host enforces it through its access policy.</summary>
public enum Visibility
{
    /// <summary>Everyone in the tenant: the transparency OKRs are known for.</summary>
    Public = 0,

    /// <summary>The owner's team.</summary>
    Team = 1,

    /// <summary>The owner only.</summary>
    Private = 2,
}
