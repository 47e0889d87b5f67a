using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace FaceSwap.BotApi.Data.Copy;

/// <summary>
/// A column as both providers store it: the CLR type of the stored value (after the model's converters, e.g. ticks for
/// a DateTimeOffset, a number for an enum), to which SQLite's few storage classes are converted.
/// </summary>
public sealed record CopyColumn(string Name, Type ProviderType)
{
    public static CopyColumn Of(IProperty property, StoreObjectIdentifier table)
    {
        var mapping = property.GetRelationalTypeMapping();
        var type = mapping.Converter?.ProviderClrType ?? mapping.ClrType;
        return new CopyColumn(property.GetColumnName(table) ?? property.Name, Nullable.GetUnderlyingType(type) ?? type);
    }

    /// <summary>SQLite hands back long, double, string or byte[]; PostgreSQL's binary COPY wants the column's own type.</summary>
    public object? ToProvider(object? value) => value switch
    {
        null or DBNull => null,
        _ when value.GetType() == ProviderType => value,
        string text when ProviderType == typeof(Guid) => Guid.Parse(text),
        byte[] bytes when ProviderType == typeof(Guid) => new Guid(bytes),
        string text when ProviderType == typeof(decimal) => decimal.Parse(text, CultureInfo.InvariantCulture),
        _ => Convert.ChangeType(value, ProviderType, CultureInfo.InvariantCulture),
    };
}
