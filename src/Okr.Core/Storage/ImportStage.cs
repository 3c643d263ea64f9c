namespace Okr.Core.Storage;

/// <summary>The stages of an import, in the order a store reports them.</summary>
public enum ImportStage
{
    /// <summary>The document's periods are written.</summary>
    Periods = 0,

    /// <summary>Objectives are written (reported every few hundred and at the end).</summary>
    Objectives = 1,

    /// <summary>The check-ins are written.</summary>
    CheckIns = 2,

    /// <summary>The transaction has committed: everything is stored.</summary>
    Committed = 3,
}
