using FaceSwap.AppHost.Postgres;

namespace FaceSwap.Tests.Support;

/// <summary>A fact on PostgreSQL: skipped, saying why, only where Debian's postgresql package is not installed.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!PostgresBinaries.Installed)
        {
            Skip = "PostgreSQL is not installed (apt-get install postgresql, or scripts/install-prerequisites.sh --test).";
        }
    }
}
