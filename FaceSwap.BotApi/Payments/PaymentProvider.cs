using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FaceSwap.BotApi.Payments;

public enum PaymentProvider
{
    TelegramStars = 0,
    Stripe = 1,
}
