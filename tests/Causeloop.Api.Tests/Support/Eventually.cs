namespace Causeloop.Api.Tests.Support;

public static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds, or fails the test after <paramref name="timeout"/>.</summary>
    /// <param name="details">What to add to the failure message (evaluated only on failure), e.g. the service's logs.</param>
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, Func<string>? details = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}. {details?.Invoke()}");
            }

            await Task.Delay(50);
        }
    }
}
