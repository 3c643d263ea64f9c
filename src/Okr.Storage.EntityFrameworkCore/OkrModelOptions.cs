namespace Okr.Storage.EntityFrameworkCore;

/// <summary>Where <see cref="Microsoft.EntityFrameworkCore.OkrModelBuilderExtensions.AddOkr"/> puts the OKR tables in the host's model.</summary>
public sealed class OkrModelOptions
{
    /// <summary>The database schema of the OKR tables; the model's default schema when null (the default).</summary>
    public string? Schema { get; set; }

    /// <summary>
    /// Put before every OKR table's name: <c>okr_</c> (the default) makes <c>okr_objectives</c>, <c>okr_check_ins</c> and
    /// so on, apart from the host's own tables. Letters, digits and underscores only; empty for no prefix.
    /// </summary>
    public string TablePrefix { get; set; } = "okr_";
}
