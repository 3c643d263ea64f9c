using System.Collections.Concurrent;
using nietras.SeparatedValues;
using NodaTime;
using NodaTime.Text;
using Okr.Core;
using Okr.Core.Service;

namespace Okr.Samples.HrIntegration;

/// <summary>
/// The applicant tracking system's export: a CSV file (<c>key,value,updated_at</c>) the ATS rewrites as figures change,
/// read with Sep. The hosted metric source job reads it for the key results bound to <c>ats</c>, and records each figure
/// once (the same <c>updated_at</c> read again is the same reading).
/// </summary>
public sealed class AtsExport(string path) : IMetricSource
{
    /// <summary>The tenants the ATS serves (the sample has one, known once its OKRs are imported).</summary>
    public ConcurrentBag<TenantId> Tenants { get; } = [];

    public string Name => "ats";

    public OwnerRef Owner => OwnerRef.Person("svc-ats");

    public Duration PollInterval => Duration.FromMilliseconds(20);

    public ValueTask<IReadOnlyCollection<TenantId>> TenantsAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyCollection<TenantId>>([.. Tenants]);

    public ValueTask<IReadOnlyDictionary<string, MetricValue>> ReadAsync(TenantId tenant, IReadOnlyCollection<string> keys, Instant asOf, CancellationToken cancellationToken)
    {
        var figures = new Dictionary<string, MetricValue>(StringComparer.Ordinal);
        if (File.Exists(path))
        {
            using var reader = Sep.Reader(o => o with { Unescape = true }).FromFile(path);
            foreach (var row in reader)
            {
                var key = row["key"].ToString();
                if (keys.Contains(key))
                {
                    figures[key] = new MetricValue(row["value"].Parse<decimal>(), InstantPattern.ExtendedIso.Parse(row["updated_at"].ToString()).GetValueOrThrow());
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyDictionary<string, MetricValue>>(figures);
    }

    /// <summary>What the ATS does when a figure changes: rewrites its export, whole, in one move.</summary>
    public static void Write(string path, string key, decimal value, Instant updatedAt)
    {
        var temporary = path + ".tmp";
        using (var writer = Sep.New(',').Writer(o => o with { Escape = true }).ToFile(temporary))
        {
            using var row = writer.NewRow();
            row["key"].Set(key);
            row["value"].Set(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            row["updated_at"].Set(InstantPattern.ExtendedIso.Format(updatedAt));
        }

        File.Move(temporary, path, overwrite: true);
    }
}
