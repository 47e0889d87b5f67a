namespace FaceSwap.Tests.Support;

/// <summary>
/// The bot's send pacing in tests. A swap's chat gets a dozen messages and edits in a row (terms, face, queued,
/// processing, result, buttons): at the bot's production pace (a burst of 5, then one a second) a test would be timed
/// by those waits. Tests send at the emulator's, Telegram's, burst of 20 instead; past it the emulator still answers
/// 429 as Telegram does. The pacing itself is tested where it is the subject (TelegramSendGateTests,
/// InboxFairnessTests, the chatty-chat fault), at the production 5.
/// </summary>
public static class TestPacing
{
    /// <summary>The value of <c>Telegram:PerChatBurst</c> every test host of the bot API starts with.</summary>
    public const string PerChatBurst = "20";
}
