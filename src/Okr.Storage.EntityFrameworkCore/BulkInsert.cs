using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Okr.Storage.EntityFrameworkCore;

/// <summary>
/// Inserts many rows of an OKR table without tracking them, in the context's open transaction: one standard
/// <c>INSERT … VALUES (…)</c> per row, sent as one ADO.NET batch per thousand rows where the driver batches (one round
/// trip; Npgsql), or prepared once and run per row where it does not (an in-process database; SQLite). The table,
/// columns, identifier quoting, parameter names and value conversions come from the model and the provider
/// (<see cref="ISqlGenerationHelper"/>, each column's type mapping), so no SQL of any one provider is written here.
/// </summary>
internal static class BulkInsert
{
    private const int RowsPerBatch = 1000;

    public static async Task InsertAsync<TRow>(DbContext db, IEnumerable<TRow> rows, CancellationToken cancellationToken)
        where TRow : class
    {
        var entity = db.Model.FindEntityType(typeof(TRow)) ?? throw new InvalidOperationException($"{typeof(TRow).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var properties = entity.GetProperties().ToArray();
        var mappings = properties.Select(p => p.GetRelationalTypeMapping()).ToArray();
        var getters = properties.Select(p => p.GetGetter()).ToArray();
        var sql = db.GetService<ISqlGenerationHelper>();
        var names = properties.Select((_, i) => "p" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var text = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)))}) "
            + $"VALUES ({string.Join(", ", names.Select(sql.GenerateParameterNamePlaceholder))})";
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() ?? throw new InvalidOperationException("A bulk insert runs in the store's transaction.");
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.Transaction = transaction;
            command.CommandText = text;
            void Bind(System.Data.Common.DbParameterCollection parameters, TRow row)
            {
                for (var c = 0; c < properties.Length; c++)
                {
                    parameters.Add(mappings[c].CreateParameter(command, sql.GenerateParameterName(names[c]), getters[c].GetClrValueUsingContainingEntity(row), properties[c].IsNullable));
                }
            }

            if (!connection.CanCreateBatch)
            {
                foreach (var row in rows)
                {
                    command.Parameters.Clear();
                    Bind(command.Parameters, row);
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            foreach (var chunk in rows.Chunk(RowsPerBatch))
            {
                var batch = connection.CreateBatch();
                await using (batch.ConfigureAwait(false))
                {
                    batch.Transaction = transaction;
                    foreach (var row in chunk)
                    {
                        var one = batch.CreateBatchCommand();
                        one.CommandText = text;
                        Bind(one.Parameters, row);
                        batch.BatchCommands.Add(one);
                    }

                    await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
