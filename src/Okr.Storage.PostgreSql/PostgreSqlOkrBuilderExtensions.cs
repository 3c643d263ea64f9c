using Okr.Core.DependencyInjection;
using Okr.Core.Storage;
using Okr.Storage.PostgreSql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the PostgreSQL store in <c>services.AddOkr(...)</c>.</summary>
public static class PostgreSqlOkrBuilderExtensions
{
    /// <summary>Keeps data in PostgreSQL, shared by every instance of the application.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="Okr.Core.OkrValidationException">The connection string is invalid.</exception>
    public static OkrBuilder UsePostgreSql(this OkrBuilder builder, string connectionString) =>
        builder.UsePostgreSql(o => o.ConnectionString = connectionString);

    /// <summary>Keeps data in PostgreSQL configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="Okr.Core.OkrValidationException">The options are invalid.</exception>
    public static OkrBuilder UsePostgreSql(this OkrBuilder builder, Action<PostgreSqlOkrStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new PostgreSqlOkrStoreOptions();
        configure(options);
        options.Validate();
        return builder.UseStore(_ => (IOkrStore)new PostgreSqlOkrStore(options));
    }
}
