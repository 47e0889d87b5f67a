using FaceSwap.BotApi.Data;
using Telegram.Bot.Types;

namespace FaceSwap.BotApi.Telegram;

/// <summary>
/// One send of a stored update's handling (<see cref="SentReplyLog"/>): the record to commit once Telegram accepts it,
/// or the message an earlier attempt already sent in its place (only its id, chat and date are known).
/// </summary>
public sealed record SendSlot(SentReply Record, Message? Earlier);
