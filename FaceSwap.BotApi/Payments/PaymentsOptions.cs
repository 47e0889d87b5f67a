using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace FaceSwap.BotApi.Payments;

/// <summary>Section <c>Payments</c>: the credit packs on sale and the operators allowed to grant and refund.</summary>
public sealed class PaymentsOptions : IValidatableObject
{
    public const string SectionName = "Payments";

    public List<CreditPack> Packs { get; set; } = [];

    /// <summary>Telegram user ids that may use the admin commands: /grant, /refund, /stats, /ban and /unban.</summary>
    public List<long> AdminUserIds { get; set; } = [];

    public CreditPack? FindPack(string packId) => Packs.FirstOrDefault(p => string.Equals(p.Id, packId, StringComparison.Ordinal));

    public bool IsAdmin(long userId) => AdminUserIds.Contains(userId);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Packs.Count == 0)
        {
            yield return new ValidationResult("Payments:Packs must list at least one credit pack (Id, Credits, Stars, StripeAmount, StripeCurrency).", [nameof(Packs)]);
        }

        // ValidateDataAnnotations does not look inside list items, so each pack is validated here, named by its index.
        for (var i = 0; i < Packs.Count; i++)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(Packs[i], new ValidationContext(Packs[i]), results, validateAllProperties: true);
            foreach (var result in results)
            {
                yield return new ValidationResult($"Payments:Packs:{i}: {result.ErrorMessage}", [nameof(Packs)]);
            }
        }

        foreach (var duplicate in Packs.GroupBy(p => p.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            yield return new ValidationResult($"Payments:Packs: the pack id '{duplicate.Key}' is used {duplicate.Count()} times; ids must be unique.", [nameof(Packs)]);
        }
    }
}
