using Microsoft.Data.Sqlite;

namespace FaceSwap.Tests.EndToEnd;

/// <summary>The whole app with an operator: their chat is the alert chat, and they are an admin.</summary>
public sealed class ModerationAppFixture : FaceSwapAppFixture
{
    public const long OperatorId = 990001;

    protected override IEnumerable<string> Settings => [$"Ops:AlertChatId={OperatorId}", $"Payments:AdminUserIds:0={OperatorId}"];

    public string DatabasePath => Path.Combine(DataDirectory, "botapi", "faceswap.db");

    public async Task<T> QueryAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using (var wait = connection.CreateCommand())
        {
            wait.CommandText = "PRAGMA busy_timeout = 5000"; // the bot API writes the same file meanwhile
            await wait.ExecuteNonQueryAsync();
        }

        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}
