using System.Globalization;
using FaceSwap.TelegramEmulator.Infrastructure;

namespace FaceSwap.TelegramEmulator.BotApi;

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
