using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FaceSwap.BotApi.Data.Postgres;

/// <summary>
/// Gives every EF Core transaction on PostgreSQL the guarantee the code was written against on SQLite: transactions
/// begin with BEGIN IMMEDIATE there, so a read-then-write (the credit ledger's balance check before a spend, a payment's
/// "paid once") runs alone and a concurrent one reads what the first committed. PostgreSQL's READ COMMITTED would let
/// two spends read the same balance. A transaction-scoped advisory lock taken at BEGIN restores the one-writer order,
/// across connections and replicas; it is released at COMMIT or ROLLBACK. Single statements (SaveChanges of one row,
/// ExecuteUpdate, the inbox's batch) take no lock: they are atomic on their own and the unique indexes keep them
/// idempotent. Finer locks (per user) are for when one writer at a time becomes the limit.
/// </summary>
public sealed class PostgresWriteLock : DbTransactionInterceptor
{
    private const string Function = "pg_advisory_xact_lock";

    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        PostgresAdvisoryLocks.CallAsync(connection, result, Function, PostgresAdvisoryLocks.Writes, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData,
        DbTransaction result, CancellationToken cancellationToken = default)
    {
        await PostgresAdvisoryLocks.CallAsync(connection, result, Function, PostgresAdvisoryLocks.Writes, cancellationToken);
        return result;
    }
}
