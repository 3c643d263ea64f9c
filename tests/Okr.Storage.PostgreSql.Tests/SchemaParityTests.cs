using Microsoft.Data.Sqlite;
using Npgsql;
using Okr.Storage.Sqlite;

namespace Okr.Storage.PostgreSql.Tests;

/// <summary>
/// The SQLite and PostgreSQL schemas are one design in two dialects: the same tables (PostgreSQL's carry an
/// <c>okr_</c> prefix), the same columns, and the same tenant-led keys and indexes, partial where the other's is.
/// A migration added to one store and not the other fails here.
/// </summary>
public class SchemaParityTests
{
    [PostgresFact]
    public async Task Sqlite_and_postgresql_have_the_same_tables_columns_keys_and_indexes()
    {
        var sqlite = await SqliteSchemaAsync();
        var postgres = await PostgresSchemaAsync();
        Assert.Equal(sqlite.Keys.Order(), postgres.Keys.Order());
        foreach (var table in sqlite.Keys)
        {
            Assert.True(sqlite[table].Columns.SetEquals(postgres[table].Columns), $"{table}: columns differ: SQLite [{string.Join(", ", sqlite[table].Columns.Order())}], PostgreSQL [{string.Join(", ", postgres[table].Columns.Order())}]");
            Assert.True(sqlite[table].Paths.SetEquals(postgres[table].Paths), $"{table}: keys and indexes differ: SQLite [{string.Join("; ", sqlite[table].Paths.Order())}], PostgreSQL [{string.Join("; ", postgres[table].Paths.Order())}]");
        }

        Assert.Equal(10, sqlite.Count);
        Assert.Equal(18, postgres.Values.Sum(t => t.Paths.Count));
    }

    /// <summary>Tables by name, with their columns and every key or index that leads with the tenant ("cols" or "cols where").</summary>
    private static async Task<Dictionary<string, (HashSet<string> Columns, HashSet<string> Paths)>> SqliteSchemaAsync()
    {
        var cs = $"Data Source={Path.Combine(Path.GetTempPath(), $"okr-parity-{Guid.NewGuid():N}.db")}";
        await new SqliteOkrStore(cs).InitializeAsync();
        await using var connection = new SqliteConnection(cs);
        await connection.OpenAsync();
        var tables = new Dictionary<string, (HashSet<string>, HashSet<string>)>();
        foreach (var table in Strings(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'okr_schema'"))
        {
            var columns = Strings(connection, $"SELECT name FROM pragma_table_info('{table}')").ToHashSet();
            var paths = new HashSet<string>();
            var key = Strings(connection, $"SELECT name FROM pragma_table_info('{table}') WHERE pk > 0 ORDER BY pk");
            paths.Add(string.Join(",", key));
            foreach (var (index, partial) in Pairs(connection, $"SELECT name, partial FROM pragma_index_list('{table}') WHERE origin <> 'pk'"))
            {
                paths.Add(string.Join(",", Strings(connection, $"SELECT name FROM pragma_index_info('{index}') ORDER BY seqno")) + (partial == "1" ? " where" : ""));
            }

            // The history tables number their rows with SQLite's rowid (seq INTEGER PRIMARY KEY) and are searched by a
            // tenant-led index: PostgreSQL's key is that index. Only tenant-led paths are compared.
            paths.RemoveWhere(p => !p.StartsWith("tenant", StringComparison.Ordinal));
            tables[table] = (columns, paths);
        }

        SqliteConnection.ClearAllPools();
        return tables;
    }

    private static async Task<Dictionary<string, (HashSet<string> Columns, HashSet<string> Paths)>> PostgresSchemaAsync()
    {
        var database = TestDatabase.CreateDatabase();
        await using (var store = new PostgreSqlOkrStore(database))
        {
            await store.InitializeAsync();
        }

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var tables = new Dictionary<string, (HashSet<string>, HashSet<string>)>();
        foreach (var table in await PgStrings(connection, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'okr\\_%' AND table_name <> 'okr_schema'"))
        {
            var columns = (await PgStrings(connection, $"SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '{table}'")).ToHashSet();
            var paths = (await PgStrings(connection, $"""
                SELECT string_agg(a.attname, ',' ORDER BY k.n) || CASE WHEN x.indpred IS NULL THEN '' ELSE ' where' END
                FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid
                CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n)
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                WHERE t.relname = '{table}'
                GROUP BY x.indexrelid, x.indpred
                """)).ToHashSet();
            tables[table["okr_".Length..]] = (columns, paths);
        }

        return tables;
    }

    private static List<string> Strings(SqliteConnection connection, string sql) => [.. Pairs(connection, sql).Select(p => p.First)];

    private static List<(string First, string Second)> Pairs(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string)>();
        while (reader.Read())
        {
            rows.Add((Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!, reader.FieldCount > 1 ? Convert.ToString(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)! : ""));
        }

        return rows;
    }

    private static async Task<List<string>> PgStrings(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
