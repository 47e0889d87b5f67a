using System.Diagnostics;
using System.Text.Json;
using FaceSwap.BotApi.Credits;
using FaceSwap.BotApi.Data;
using FaceSwap.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FaceSwap.BotApi.Jobs;

public sealed record EnqueueResult(EnqueueOutcome Outcome, SwapJob? Job = null, int Position = 0);
