using FaceSwap.AppHost.Postgres;

namespace FaceSwap.Tests.EndToEnd;

/// <summary>The whole app with <c>FaceSwap:Database=postgres</c>: the AppHost's local PostgreSQL (Debian's binaries).</summary>
public sealed class PostgresAppFixture : FaceSwapAppFixture
{
    protected override IEnumerable<string> Settings => ["FaceSwap:Database=postgres", "FaceSwap:PostgresMode=local"];

    public override async Task InitializeAsync()
    {
        if (PostgresBinaries.Installed)
        {
            await base.InitializeAsync();
        }
    }
}
