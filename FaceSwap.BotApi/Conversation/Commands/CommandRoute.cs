namespace FaceSwap.BotApi.Conversation.Commands;

/// <summary>One line of <see cref="CommandRouter"/>'s table: who may run the command, and what runs it.</summary>
public sealed record CommandRoute(CommandPolicy Policy, Func<CommandRequest, CancellationToken, Task> Handle);
