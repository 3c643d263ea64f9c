using Okr.Core.DependencyInjection;
using Okr.Core.Storage;
using Okr.Storage.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the SQLite store in <c>services.AddOkr(...)</c>.</summary>
public static class SqliteOkrBuilderExtensions
{
    /// <summary>Keeps data in a SQLite file, for example <c>okr.UseSqlite("Data Source=okr.db")</c>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The connection string.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="Okr.Core.OkrValidationException">The connection string is invalid.</exception>
    public static OkrBuilder UseSqlite(this OkrBuilder builder, string connectionString) =>
        builder.UseSqlite(o => o.ConnectionString = connectionString);

    /// <summary>Keeps data in a SQLite file configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="Okr.Core.OkrValidationException">The options are invalid.</exception>
    public static OkrBuilder UseSqlite(this OkrBuilder builder, Action<SqliteOkrStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new SqliteOkrStoreOptions();
        configure(options);
        options.Validate();
        return builder.UseStore(_ => (IOkrStore)new SqliteOkrStore(options));
    }
}
