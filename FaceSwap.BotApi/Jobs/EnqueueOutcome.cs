using System.Diagnostics;
using System.Text.Json;
using FaceSwap.BotApi.Credits;
using FaceSwap.BotApi.Data;
using FaceSwap.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Jobs;

public enum EnqueueOutcome
{
    Queued,
    /// <summary>The update being handled again (after a crash) had already created this job and paid for it.</summary>
    AlreadyCreated,
    AlreadyRunning,
    HourlyLimit,
    NoCredits,
}
