namespace Okr.Core.Storage;

/// <summary>An objective write in an <see cref="OkrChangeSet"/>.</summary>
/// <param name="Objective">The objective.</param>
/// <param name="ExpectedVersion">The version it replaces; 0 creates it (or replaces one an import stored at 0).</param>
public readonly record struct ObjectiveWrite(Objective Objective, long ExpectedVersion);
