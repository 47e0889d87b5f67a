using FaceSwap.BotApi.Data;
using Microsoft.EntityFrameworkCore;

namespace FaceSwap.BotApi.Credits;

/// <summary>
/// Append-only credit ledger. Every entry has a unique reference, so booking the same grant, purchase, spend or
/// refund twice is a no-op; the balance is the sum of a user's entries and never goes below zero.
/// </summary>
public sealed class CreditLedger(FaceSwapDbContext db, TimeProvider time)
{
    public Task<int> BalanceAsync(long userId, CancellationToken cancellationToken) =>
        db.CreditLedger.Where(e => e.UserId == userId).SumAsync(e => e.Amount, cancellationToken);

    /// <summary>Adds credits once per reference; returns false when the reference was already booked.</summary>
    public async Task<bool> CreditAsync(long userId, int amount, CreditEntryKind kind, string reference, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        return await AppendAsync(userId, amount, kind, reference, cancellationToken);
    }

    /// <summary>
    /// Takes credits if the balance allows; false when it does not. Booking the same reference again returns true
    /// (it was taken before).
    /// </summary>
    public async Task<bool> TrySpendAsync(long userId, int amount, string reference, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        return await InWriteTransactionAsync(async () =>
        {
            if (await db.CreditLedger.AnyAsync(e => e.Reference == reference, cancellationToken))
            {
                return true;
            }

            if (await BalanceAsync(userId, cancellationToken) < amount)
            {
                return false;
            }

            return await AppendAsync(userId, -amount, CreditEntryKind.Spend, reference, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>
    /// Takes back up to <paramref name="amount"/> credits (a refunded purchase, an operator's correction), never more
    /// than the balance: credits already spent stay spent. Returns how many were taken, once per reference; a
    /// repeated reference returns what the first booking took.
    /// </summary>
    public async Task<int> TakeBackAsync(long userId, int amount, CreditEntryKind kind, string reference, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        return await InWriteTransactionAsync(async () =>
        {
            if (await db.CreditLedger.AsNoTracking().SingleOrDefaultAsync(e => e.Reference == reference, cancellationToken) is { } booked)
            {
                return -booked.Amount;
            }

            var taken = Math.Min(amount, Math.Max(0, await BalanceAsync(userId, cancellationToken)));
            // A zero line still records that the take-back happened, so a repeat books nothing later.
            await AppendAsync(userId, -taken, kind, reference, cancellationToken);
            return taken;
        }, cancellationToken);
    }

    /// <summary>
    /// Runs a read-then-write under SQLite's write lock. Microsoft.Data.Sqlite begins transactions with
    /// BEGIN IMMEDIATE, so a concurrent spend waits for this one to commit before it reads the balance: that is what
    /// keeps concurrent spends from taking a balance below zero, across scopes and even processes. A caller's own
    /// transaction (a job's spend with its job row) already holds the lock.
    /// </summary>
    private async Task<T> InWriteTransactionAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return await work();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await work();
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private async Task<bool> AppendAsync(long userId, int amount, CreditEntryKind kind, string reference, CancellationToken cancellationToken)
    {
        var entry = new CreditEntry { UserId = userId, Amount = amount, Kind = kind, Reference = reference, CreatedAt = time.GetUtcNow() };
        db.CreditLedger.Add(entry);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            db.Entry(entry).State = EntityState.Detached;
            if (await db.CreditLedger.AsNoTracking().AnyAsync(e => e.Reference == reference, cancellationToken))
            {
                return false; // booked before: the unique reference makes the second booking a no-op
            }

            throw;
        }
    }
}
