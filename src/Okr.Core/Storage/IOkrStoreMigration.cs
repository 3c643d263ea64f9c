namespace Okr.Core.Storage;

/// <summary>
/// A store with a schema it can migrate on request (both SQL stores of this library): what the DI package's
/// <c>MigrateOnStartup()</c> calls before the host starts serving.
/// </summary>
public interface IOkrStoreMigration
{
    /// <summary>Migrates the schema to the version this store writes; safe when several instances run it at once.</summary>
    /// <param name="cancellationToken">Cancels the migration.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    Task MigrateAsync(CancellationToken cancellationToken = default);
}
