using System.Text.Json.Serialization;

namespace Okr.Storage.Sqlite;

/// <summary>Id lists travel to SQLite as one JSON array parameter (read with json_each), so no statement has a variable number of parameters.</summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class SqliteJsonContext : JsonSerializerContext
{
}
