using FaceSwap.TelegramEmulator.Infrastructure;

namespace FaceSwap.TelegramEmulator.BotApi;

public sealed record FaultRule(string? Method, int StatusCode, int Count, int? RetryAfter);

/// <summary>Failures queued through the control API: the next n matching Bot API calls fail.</summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<ActiveFault> _faults = [];

    public void Add(FaultRule rule)
    {
        lock (_gate)
        {
            _faults.Add(new ActiveFault(rule.Method, rule.StatusCode, rule.RetryAfter) { Remaining = rule.Count });
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
            return [.. _faults.Select(f => new FaultRule(f.Method, f.StatusCode, f.Remaining, f.RetryAfter))];
        }
    }

    /// <summary>Throws the first queued fault that matches the method, using it up.</summary>
    public void ThrowIfFaulted(string method)
    {
        lock (_gate)
        {
            var fault = _faults.Find(f => f.Method is null || string.Equals(f.Method, method, StringComparison.OrdinalIgnoreCase));
            if (fault is null)
            {
                return;
            }

            if (--fault.Remaining <= 0)
            {
                _faults.Remove(fault);
            }

            throw fault.StatusCode switch
            {
                429 => new BotApiException(429, $"Too Many Requests: retry after {fault.RetryAfter ?? 1}", fault.RetryAfter ?? 1),
                400 => BotApiException.BadRequest("injected fault"),
                401 => new BotApiException(401, "Unauthorized"),
                403 => new BotApiException(403, "Forbidden: bot was blocked by the user"),
                404 => new BotApiException(404, "Not Found"),
                409 => new BotApiException(409, "Conflict: injected fault"),
                502 => new BotApiException(502, "Bad Gateway"),
                _ => new BotApiException(fault.StatusCode, "Internal Server Error"),
            };
        }
    }

    private sealed class ActiveFault(string? method, int statusCode, int? retryAfter)
    {
        public string? Method { get; } = method;
        public int StatusCode { get; } = statusCode;
        public int? RetryAfter { get; } = retryAfter;
        public int Remaining { get; set; }
    }
}
