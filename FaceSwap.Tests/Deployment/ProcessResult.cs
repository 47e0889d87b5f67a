namespace FaceSwap.Tests.Deployment;

internal sealed record ProcessResult(int ExitCode, string Output)
{
    public override string ToString() => $"exit {ExitCode}:\n{Output}";
}
