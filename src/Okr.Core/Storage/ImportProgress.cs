namespace Okr.Core.Storage;

/// <summary>What an import has done so far, reported by <see cref="IOkrStore.ImportAsync"/>.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Done">Items of the stage written so far.</param>
/// <param name="Total">Items of the stage in all.</param>
public readonly record struct ImportProgress(ImportStage Stage, int Done, int Total);
