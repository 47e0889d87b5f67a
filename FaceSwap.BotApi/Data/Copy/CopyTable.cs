using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace FaceSwap.BotApi.Data.Copy;

/// <summary>One table of the model: its columns in the model's order and its primary key, the order rows are copied in.</summary>
public sealed record CopyTable(string Name, IReadOnlyList<CopyColumn> Columns, IReadOnlyList<CopyColumn> Key)
{
    public static CopyTable Of(IEntityType entity)
    {
        var name = entity.GetTableName()!;
        var table = StoreObjectIdentifier.Table(name, entity.GetSchema());
        var columns = entity.GetProperties().Select(p => CopyColumn.Of(p, table)).ToList();
        var key = entity.FindPrimaryKey()!.Properties.Select(p => columns.Single(c => c.Name == (p.GetColumnName(table) ?? p.Name))).ToList();
        return new CopyTable(name, columns, key);
    }

    /// <summary>
    /// Every column in key order. Text keys sort by bytes on both sides (SQLite's BINARY, PostgreSQL's "C"), whatever
    /// the server's default collation, so the two checksums see the rows in the same order.
    /// </summary>
    public string SelectSql(bool postgres) =>
        $"SELECT {string.Join(", ", Columns.Select(c => DatabaseCopy.Quote(c.Name)))} FROM {DatabaseCopy.Quote(Name)} ORDER BY "
        + string.Join(", ", Key.Select(k => DatabaseCopy.Quote(k.Name) + (postgres && k.ProviderType == typeof(string) ? " COLLATE \"C\"" : "")));
}
