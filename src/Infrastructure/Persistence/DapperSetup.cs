namespace Causeloop.Infrastructure.Persistence;

public static class DapperSetup
{
    private static int _done;

    /// <summary>snake_case columns map to PascalCase members.</summary>
    public static void Configure()
    {
        if (Interlocked.Exchange(ref _done, 1) == 0)
        {
            Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        }
    }
}
