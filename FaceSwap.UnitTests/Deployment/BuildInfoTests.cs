using FaceSwap.ServiceDefaults;

namespace FaceSwap.Tests.Deployment;

public class BuildInfoTests
{
    [Theory]
    [InlineData("1.2.3+0123456789abcdef0123456789abcdef01234567", "1.2.3", "0123456789abcdef0123456789abcdef01234567")]
    [InlineData("1.2.4-alpha.0.5+abc123", "1.2.4-alpha.0.5", "abc123")]
    [InlineData("1.2.3+build.7.abc123", "1.2.3", "abc123")]
    [InlineData("1.2.3", "1.2.3", "unknown")]
    [InlineData(null, "unknown", "unknown")]
    [InlineData("", "unknown", "unknown")]
    public void Parse_splits_version_and_commit(string? informational, string version, string commit)
    {
        Assert.Equal((version, commit), BuildInfo.Parse(informational));
    }

    [Fact]
    public void Version_of_this_build_comes_from_minver()
    {
        // MinVer versions are SemVer 2: MAJOR.MINOR.PATCH with an optional pre-release (0.0.0-alpha.0.N before any tag).
        Assert.Matches(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$", BuildInfo.Version);
        Assert.DoesNotContain("+", BuildInfo.Version, StringComparison.Ordinal);
        Assert.NotEqual("unknown", BuildInfo.Commit);
    }
}
