using Microsoft.EntityFrameworkCore;
using Okr.Core.DependencyInjection;
using Okr.Storage.EntityFrameworkCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Entity Framework Core store with <c>services.AddOkr(okr => okr.UseEntityFrameworkCore&lt;TContext&gt;())</c>.</summary>
public static class EntityFrameworkCoreOkrBuilderExtensions
{
    /// <summary>
    /// Keeps OKRs in the host's own <typeparamref name="TContext"/> (whose <c>OnModelCreating</c> calls
    /// <see cref="OkrModelBuilderExtensions.AddOkr"/>): a store per service scope over the scoped context the host registered
    /// with <c>AddDbContext</c>, so inside a transaction the request opened, an OKR write and the host's own write commit or
    /// roll back together. <see cref="Okr.Core.Service.OkrService"/> is scoped with it (resolve it from a request's
    /// services); the event dispatcher reads the outbox through a scope of its own per call. The host's migrations create
    /// the tables: <c>MigrateOnStartup()</c> is for the ADO stores.
    /// </summary>
    /// <typeparam name="TContext">The host's context type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static OkrBuilder UseEntityFrameworkCore<TContext>(this OkrBuilder builder)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseStore(static sp => new EntityFrameworkCoreOkrStore<TContext>(sp.GetRequiredService<TContext>()), ServiceLifetime.Scoped);
    }
}
