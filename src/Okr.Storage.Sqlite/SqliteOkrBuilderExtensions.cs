using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Okr.Core.DependencyInjection;
using Okr.Core.Storage;
using Okr.Storage.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the SQLite store in <c>services.AddOkr(...)</c>.</summary>
public static class SqliteOkrBuilderExtensions
{
    /// <summary>Keeps data in a SQLite file, for example <c>okr.UseSqlite("Data Source=okr.db")</c>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The connection string; checked at once.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="Okr.Core.OkrValidationException">The connection string is invalid.</exception>
    public static OkrBuilder UseSqlite(this OkrBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        new SqliteOkrStoreOptions { ConnectionString = connectionString }.Validate();
        return builder.UseSqlite(o => o.ConnectionString = connectionString);
    }

    /// <summary>
    /// Keeps data in a SQLite file, with <see cref="SqliteOkrStoreOptions"/> (an <see cref="IOptions{TOptions}"/>) bound
    /// from the <c>Store</c> child of the section given to <c>AddOkr(configuration)</c> (keys <c>ConnectionString</c>,
    /// <c>AnalyzeThreshold</c>), then changed by <paramref name="configure"/>. Validated at start-up.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options, after the configuration.</param>
    /// <returns>The builder.</returns>
    public static OkrBuilder UseSqlite(this OkrBuilder builder, Action<SqliteOkrStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        builder.UseSqlite();
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Keeps data in a SQLite file configured by the <c>Store</c> child of the section given to
    /// <c>AddOkr(configuration)</c>: <c>ConnectionString</c> (default <c>Data Source=okr.db</c>) and <c>AnalyzeThreshold</c>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static OkrBuilder UseSqlite(this OkrBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SqliteOkrStoreOptions>().ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<SqliteOkrStoreOptions>, SqliteStoreConfiguration>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteOkrStoreOptions>, SqliteStoreValidation>());
        return builder.UseStore(static sp => (IOkrStore)new SqliteOkrStore(sp.GetRequiredService<IOptions<SqliteOkrStoreOptions>>().Value));
    }

    /// <summary>Binds the store's options from <c>Okr:Store</c> when <c>AddOkr</c> was given a configuration section.</summary>
    private sealed class SqliteStoreConfiguration(IServiceProvider services) : IConfigureOptions<SqliteOkrStoreOptions>
    {
        public void Configure(SqliteOkrStoreOptions options)
        {
            if (services.GetKeyedService<IConfiguration>(OkrBuilder.ConfigurationKey)?.GetSection("Store") is not { } section || !section.Exists())
            {
                return;
            }

            var values = new ConfigurationValues(section, []);
            if (values.String(nameof(SqliteOkrStoreOptions.ConnectionString)) is { } cs)
            {
                options.ConnectionString = cs;
            }

            values.NullableInt(nameof(SqliteOkrStoreOptions.AnalyzeThreshold), v => options.AnalyzeThreshold = v);
            values.Bool(nameof(SqliteOkrStoreOptions.AutoMigrate), v => options.AutoMigrate = v);
            if (values.Problems.Count > 0)
            {
                throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(SqliteOkrStoreOptions), values.Problems);
            }
        }
    }

    /// <summary>Every problem <see cref="SqliteOkrStoreOptions.Validate"/> finds, as options validation.</summary>
    private sealed class SqliteStoreValidation : IValidateOptions<SqliteOkrStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, SqliteOkrStoreOptions options)
        {
            try
            {
                options.Validate();
                return ValidateOptionsResult.Success;
            }
            catch (Okr.Core.OkrValidationException ex)
            {
                return ValidateOptionsResult.Fail(ex.Violations.Select(v => $"Store:{v}"));
            }
        }
    }
}
