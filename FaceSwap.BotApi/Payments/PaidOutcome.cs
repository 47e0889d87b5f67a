using System.Globalization;
using FaceSwap.BotApi.Credits;
using FaceSwap.BotApi.Data;
using Microsoft.EntityFrameworkCore;

namespace FaceSwap.BotApi.Payments;

/// <summary>What recording a paid payment did: the payment row, and whether this call booked its credits.</summary>
public sealed record PaidOutcome(Payment Payment, bool NewlyCredited);
