using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Okr.Core.DependencyInjection;
using Okr.Core.Storage;
using Okr.Storage.PostgreSql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the PostgreSQL store in <c>services.AddOkr(...)</c>.</summary>
public static class PostgreSqlOkrBuilderExtensions
{
    /// <summary>Keeps data in PostgreSQL, shared by every instance of the application.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The Npgsql connection string; checked at once.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="Okr.Core.OkrValidationException">The connection string is invalid.</exception>
    public static OkrBuilder UsePostgreSql(this OkrBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        new PostgreSqlOkrStoreOptions { ConnectionString = connectionString }.Validate();
        return builder.UsePostgreSql(o => o.ConnectionString = connectionString);
    }

    /// <summary>
    /// Keeps data in PostgreSQL, with <see cref="PostgreSqlOkrStoreOptions"/> (an <see cref="IOptions{TOptions}"/>) bound
    /// from the <c>Store</c> child of the section given to <c>AddOkr(configuration)</c> (keys <c>ConnectionString</c>,
    /// <c>CopyThreshold</c>, <c>AnalyzeThreshold</c>), then changed by <paramref name="configure"/>. Validated at start-up.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options, after the configuration.</param>
    /// <returns>The builder.</returns>
    public static OkrBuilder UsePostgreSql(this OkrBuilder builder, Action<PostgreSqlOkrStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        builder.UsePostgreSql();
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Keeps data in PostgreSQL configured by the <c>Store</c> child of the section given to
    /// <c>AddOkr(configuration)</c>: <c>ConnectionString</c> (required), <c>CopyThreshold</c> and <c>AnalyzeThreshold</c>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static OkrBuilder UsePostgreSql(this OkrBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<PostgreSqlOkrStoreOptions>().ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<PostgreSqlOkrStoreOptions>, PostgreSqlStoreConfiguration>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlOkrStoreOptions>, PostgreSqlStoreValidation>());
        return builder.UseStore(static sp => (IOkrStore)new PostgreSqlOkrStore(sp.GetRequiredService<IOptions<PostgreSqlOkrStoreOptions>>().Value));
    }

    /// <summary>Binds the store's options from <c>Okr:Store</c> when <c>AddOkr</c> was given a configuration section.</summary>
    private sealed class PostgreSqlStoreConfiguration(IServiceProvider services) : IConfigureOptions<PostgreSqlOkrStoreOptions>
    {
        public void Configure(PostgreSqlOkrStoreOptions options)
        {
            if (services.GetKeyedService<IConfiguration>(OkrBuilder.ConfigurationKey)?.GetSection("Store") is not { } section || !section.Exists())
            {
                return;
            }

            var values = new ConfigurationValues(section, []);
            if (values.String(nameof(PostgreSqlOkrStoreOptions.ConnectionString)) is { } cs)
            {
                options.ConnectionString = cs;
            }

            values.Int(nameof(PostgreSqlOkrStoreOptions.CopyThreshold), v => options.CopyThreshold = v);
            values.NullableInt(nameof(PostgreSqlOkrStoreOptions.AnalyzeThreshold), v => options.AnalyzeThreshold = v);
            values.Bool(nameof(PostgreSqlOkrStoreOptions.AutoMigrate), v => options.AutoMigrate = v);
            if (values.Problems.Count > 0)
            {
                throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(PostgreSqlOkrStoreOptions), values.Problems);
            }
        }
    }

    /// <summary>Every problem <see cref="PostgreSqlOkrStoreOptions.Validate"/> finds, as options validation.</summary>
    private sealed class PostgreSqlStoreValidation : IValidateOptions<PostgreSqlOkrStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, PostgreSqlOkrStoreOptions options)
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
