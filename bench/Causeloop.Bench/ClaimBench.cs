using Causeloop.Application.Deliveries.Pipeline;
using System.Diagnostics;
using System.Globalization;
using Causeloop.Infrastructure.Deliveries;
using Causeloop.Infrastructure.Persistence;
using Npgsql;

/// <summary>
/// The cost of one claim (the worker's query for due deliveries) against the database as it is now: the median
/// of 200 calls of the worker's own <see cref="ClaimStore.ClaimAsync"/>, after 20 to warm up. bench/run.sh
/// runs it on the empty tables and again after filling them, and prints the ratio.
/// </summary>
internal static class ClaimBench
{
    public static async Task<int> RunAsync(string connectionString)
    {
        await using var dataSource = new NpgsqlDataSourceBuilder(connectionString).Build();
        using var rederivable = new RederivableWork(connectionString);
        var store = new ClaimStore(rederivable);
        var samples = new List<double>();
        for (var i = 0; i < 220; i++)
        {
            var now = DateTime.UtcNow;
            var started = Stopwatch.GetTimestamp();
            await store.ClaimAsync(new ClaimRequest(now, 100, 4, EndpointLimits.None, TimeSpan.FromSeconds(60)), CancellationToken.None);
            if (i >= 20)
            {
                samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        samples.Sort();
        Console.WriteLine(samples[samples.Count / 2].ToString("0.000", CultureInfo.InvariantCulture));
        return 0;
    }
}
