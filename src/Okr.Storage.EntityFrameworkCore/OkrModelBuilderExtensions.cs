using Okr.Core.Storage;
using Okr.Storage.EntityFrameworkCore;

namespace Microsoft.EntityFrameworkCore;

/// <summary>Maps the OKR tables into a host's Entity Framework Core model.</summary>
public static class OkrModelBuilderExtensions
{
    /// <summary>The model annotation that marks a model holding the OKR tables.</summary>
    internal const string Marker = "Okr:Tables";

    /// <summary>
    /// Maps the OKR tables (periods, objectives, key results, alignments, check-ins, current values, the audit trail and the
    /// event outbox) into the host's model, so the host's own migrations create them and
    /// <see cref="EntityFrameworkCoreOkrStore{TContext}"/> works in the host's <see cref="DbContext"/>. Call it from
    /// <c>OnModelCreating</c>.
    /// </summary>
    /// <param name="modelBuilder">The host's model builder.</param>
    /// <param name="configure">Sets the schema and the table prefix; <c>okr_</c> tables in the default schema when null.</param>
    /// <returns>The same model builder.</returns>
    /// <exception cref="ArgumentException">The prefix holds characters other than letters, digits and underscores.</exception>
    public static ModelBuilder AddOkr(this ModelBuilder modelBuilder, Action<OkrModelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        var options = new OkrModelOptions();
        configure?.Invoke(options);
        var prefix = options.TablePrefix ?? string.Empty;
        if (!prefix.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException($"The table prefix '{prefix}' may hold only letters, digits and underscores.", nameof(configure));
        }

        string Table(string name) => prefix + name;
        var schema = options.Schema;
        modelBuilder.HasAnnotation(Marker, prefix);

        modelBuilder.Entity<PeriodRow>(e =>
        {
            e.ToTable(Table("periods"), schema);
            e.HasKey(p => new { p.Tenant, p.Id });
            e.HasIndex(p => new { p.Tenant, p.StartDate, p.Id }).HasDatabaseName($"ix_{prefix}periods_start");
            Columns(e);
            e.Property(p => p.Name).IsRequired();
        });
        modelBuilder.Entity<PeriodHistoryRow>(e =>
        {
            e.ToTable(Table("period_history"), schema);
            e.HasKey(p => new { p.Tenant, p.Id, p.Seq });
            e.Property(p => p.Seq).ValueGeneratedNever();
            Columns(e);
        });
        modelBuilder.Entity<ObjectiveRow>(e =>
        {
            e.ToTable(Table("objectives"), schema);
            e.HasKey(o => new { o.Tenant, o.Id });
            e.HasIndex(o => new { o.Tenant, o.PeriodId, o.Id }).HasDatabaseName($"ix_{prefix}objectives_period");
            e.HasIndex(o => new { o.Tenant, o.OwnerKind, o.OwnerId, o.Id }).HasDatabaseName($"ix_{prefix}objectives_owner");
            e.HasIndex(o => new { o.Tenant, o.State, o.Id }).HasDatabaseName($"ix_{prefix}objectives_state");
            Columns(e);
        });
        modelBuilder.Entity<ObjectiveHistoryRow>(e =>
        {
            e.ToTable(Table("objective_history"), schema);
            e.HasKey(o => new { o.Tenant, o.Id, o.Seq });
            e.Property(o => o.Seq).ValueGeneratedNever();
            Columns(e);
        });
        modelBuilder.Entity<KeyResultRow>(e =>
        {
            e.ToTable(Table("key_results"), schema);
            e.HasKey(k => new { k.Tenant, k.Id });
            e.HasIndex(k => new { k.Tenant, k.ObjectiveId }).HasDatabaseName($"ix_{prefix}key_results_objective");
            Columns(e);
        });
        modelBuilder.Entity<AlignmentRow>(e =>
        {
            e.ToTable(Table("alignments"), schema);
            e.HasKey(a => new { a.Tenant, a.ParentId, a.ChildId });
            e.HasIndex(a => new { a.Tenant, a.ChildId }).HasDatabaseName($"ix_{prefix}alignments_child");
            Columns(e);
        });
        modelBuilder.Entity<CheckInRow>(e =>
        {
            e.ToTable(Table("check_ins"), schema);
            e.HasKey(c => new { c.Tenant, c.Id });
            e.HasIndex(c => new { c.Tenant, c.KrId, c.EffectiveAt, c.RecordedAt, c.Id }).HasDatabaseName($"ix_{prefix}check_ins_history");
            e.HasIndex(c => new { c.Tenant, c.Corrects, c.KrId, c.RecordedAt }).HasDatabaseName($"ix_{prefix}check_ins_corrects");
            // Exact to the last digit and its scale (2.50 stays 2.50) on every provider: invariant text, as the ADO
            // SQLite store keeps it.
            e.Property(c => c.Value).HasConversion(v => OkrStoreFormat.FormatDecimal(v), s => OkrStoreFormat.ParseDecimal(s));
            Columns(e);
        });
        modelBuilder.Entity<KeyResultValueRow>(e =>
        {
            e.ToTable(Table("key_result_values"), schema);
            e.HasKey(v => new { v.Tenant, v.KrId });
            e.Property(v => v.Value).HasConversion(v => v == null ? null : OkrStoreFormat.FormatDecimal(v.Value), s => s == null ? null : OkrStoreFormat.ParseDecimal(s));
            Columns(e);
        });
        modelBuilder.Entity<EventStreamRow>(e =>
        {
            e.ToTable(Table("event_streams"), schema);
            e.HasKey(s => s.Tenant);
            Columns(e);
        });
        modelBuilder.Entity<EventRow>(e =>
        {
            e.ToTable(Table("events"), schema);
            e.HasKey(x => new { x.Tenant, x.Sequence });
            e.Property(x => x.Sequence).ValueGeneratedNever();
            Columns(e);
        });
        return modelBuilder;
    }

    /// <summary>Column names as the ADO stores spell them: snake case.</summary>
    private static void Columns<T>(Metadata.Builders.EntityTypeBuilder<T> entity)
        where T : class
    {
        foreach (var property in entity.Metadata.GetDeclaredProperties())
        {
            entity.Property(property.Name).HasColumnName(SnakeCase(property.Name));
        }
    }

    private static string SnakeCase(string name)
    {
        var text = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }
}
