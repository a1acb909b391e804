using Causeloop.Api.Tests.Support;

namespace Causeloop.Api.Tests;

/// <summary>In the root test namespace so that it wraps every fixture of the assembly.</summary>
[SetUpFixture]
public sealed class TestRun
{
    [OneTimeTearDown]
    public async Task StopServer() => await TestPostgres.StopAsync();
}
