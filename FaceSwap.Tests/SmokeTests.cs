namespace FaceSwap.Tests;

public class SmokeTests
{
    [Fact]
    public void Contracts_name_the_job_stream() => Assert.Equal("faceswap:jobs", FaceSwap.Contracts.QueueNames.Jobs);
}
