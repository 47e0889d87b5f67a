using System.Globalization;
using FaceSwap.TelegramEmulator.Infrastructure;

namespace FaceSwap.TelegramEmulator.BotApi;

/// <summary>
/// A queued failure: the next <see cref="Count"/> calls of <see cref="Method"/> (any method if null) aimed at
/// <see cref="ChatId"/> (any chat if null) wait <see cref="DelayMs"/>, then fail with <see cref="StatusCode"/>, or
/// take effect and lose their answer (<see cref="Lost"/>), or just answer late.
/// </summary>
public sealed record FaultRule(string? Method, int? StatusCode, int Count, int? RetryAfter, long? ChatId = null, int? DelayMs = null, bool Lost = false)
{
    /// <summary>The error in Telegram's wording for the injected status code.</summary>
    public BotApiException ToException() => StatusCode switch
    {
        429 => new BotApiException(429, $"Too Many Requests: retry after {RetryAfter ?? 1}", RetryAfter ?? 1),
        400 => BotApiException.BadRequest("injected fault"),
        401 => new BotApiException(401, "Unauthorized"),
        403 => new BotApiException(403, "Forbidden: bot was blocked by the user"),
        404 => new BotApiException(404, "Not Found"),
        409 => new BotApiException(409, "Conflict: injected fault"),
        502 => new BotApiException(502, "Bad Gateway"),
        _ => new BotApiException(StatusCode ?? 500, "Internal Server Error"),
    };
}

/// <summary>Failures queued through the control API: the next n matching Bot API calls fail, answer late or lose their answer.</summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<ActiveFault> _faults = [];

    public void Add(FaultRule rule)
    {
        lock (_gate)
        {
            _faults.Add(new ActiveFault(rule) { Remaining = rule.Count });
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    public IReadOnlyList<FaultRule> List()
    {
        lock (_gate)
        {
            return [.. _faults.Select(f => f.Rule with { Count = f.Remaining })];
        }
    }

    /// <summary>The first queued fault that matches the call, used up by this call; null if none does.</summary>
    /// <param name="chatId">The call's chat_id as sent, if it has one.</param>
    public FaultRule? Take(string method, string? chatId)
    {
        lock (_gate)
        {
            var fault = _faults.Find(f => Matches(f.Rule, method, chatId));
            if (fault is null)
            {
                return null;
            }

            if (--fault.Remaining <= 0)
            {
                _faults.Remove(fault);
            }

            return fault.Rule;
        }
    }

    private static bool Matches(FaultRule rule, string method, string? chatId) =>
        (rule.Method is null || string.Equals(rule.Method, method, StringComparison.OrdinalIgnoreCase)) &&
        (rule.ChatId is null || chatId == rule.ChatId.Value.ToString(CultureInfo.InvariantCulture));

    private sealed class ActiveFault(FaultRule rule)
    {
        public FaultRule Rule { get; } = rule;
        public int Remaining { get; set; }
    }
}
