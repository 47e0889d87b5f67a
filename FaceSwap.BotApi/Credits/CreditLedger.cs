using FaceSwap.BotApi.Data;
using Microsoft.EntityFrameworkCore;

namespace FaceSwap.BotApi.Credits;

/// <summary>
/// Append-only credit ledger. Every entry has a unique reference, so booking the same grant, spend or refund
/// twice is a no-op; the balance is the sum of a user's entries.
/// </summary>
public sealed class CreditLedger(FaceSwapDbContext db, TimeProvider time)
{
    /// <summary>
    /// Serialises balance checks with their writes: BotApi is SQLite's only writer process, so one lock here is
    /// what keeps concurrent spends from taking a balance below zero.
    /// </summary>
    private static readonly SemaphoreSlim WriteLock = new(1, 1);

    public Task<int> BalanceAsync(long userId, CancellationToken cancellationToken) =>
        db.CreditLedger.Where(e => e.UserId == userId).SumAsync(e => e.Amount, cancellationToken);

    /// <summary>Adds credits once per reference; returns false when the reference was already booked.</summary>
    public async Task<bool> CreditAsync(long userId, int amount, CreditEntryKind kind, string reference, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        await WriteLock.WaitAsync(cancellationToken);
        try
        {
            return await AppendAsync(userId, amount, kind, reference, cancellationToken);
        }
        finally
        {
            WriteLock.Release();
        }
    }

    /// <summary>
    /// Takes credits if the balance allows; false when it does not. Booking the same reference again returns true
    /// </summary>
    public async Task<bool> TrySpendAsync(long userId, int amount, string reference, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        await WriteLock.WaitAsync(cancellationToken);
        try
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
        }
        finally
        {
            WriteLock.Release();
        }
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
