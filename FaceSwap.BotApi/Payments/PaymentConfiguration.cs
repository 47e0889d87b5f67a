using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FaceSwap.BotApi.Payments;

public sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> payment)
    {
        payment.ToTable("payments");
        payment.HasIndex(p => new { p.Provider, p.ExternalId }).IsUnique();
        payment.HasIndex(p => new { p.UserId, p.CreatedAt });
        // Charge events find their payment by it; not unique, so a PaymentIntent reported on two sessions cannot fail a fulfilment.
        payment.HasIndex(p => p.PaymentIntentId);
        payment.Property(p => p.ExternalId).HasMaxLength(255);
        payment.Property(p => p.PackId).HasMaxLength(16);
        payment.Property(p => p.Currency).HasMaxLength(3);
        payment.Property(p => p.PaymentIntentId).HasMaxLength(255);
        payment.Ignore(p => p.CreditReference);
    }
}
