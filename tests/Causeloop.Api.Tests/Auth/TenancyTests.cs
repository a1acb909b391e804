using System.Net;
using Causeloop.Api.Tests.Support;
using Causeloop.Api.Tests.Webhooks;

namespace Causeloop.Api.Tests.Auth;

public sealed class TenancyTests : ApiTest
{
    [Test]
    public async Task Another_workspace_sees_none_of_the_webhooks_and_every_route_answers_404()
    {
        var owner = await Host.NewTenantAsync();
        var stranger = await Host.NewTenantAsync();
        var id = (await owner.Http.CreateOutboundAsync()).Id();
        var before = await (await owner.Http.GetAsync($"/v1/webhooks/{id}")).OkAsync();

        await (await stranger.Http.GetAsync($"/v1/webhooks/{id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Http.PatchJsonAsync($"/v1/webhooks/{id}", """{"enabled":false}""")).ProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Http.PostAsync($"/v1/webhooks/{id}/rotate-secret", null)).ProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Http.PostAsync($"/v1/webhooks/{id}/test", null)).ProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Http.GetAsync($"/v1/webhooks/{id}/deliveries")).ProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Http.DeleteAsync($"/v1/webhooks/{id}")).ProblemAsync(HttpStatusCode.NotFound);
        var list = await (await stranger.Http.GetAsync("/v1/webhooks")).OkAsync();

        var after = await (await owner.Http.GetAsync($"/v1/webhooks/{id}")).OkAsync();
        Assert.Multiple(() =>
        {
            Assert.That(list["data"]!.AsArray(), Is.Empty);
            Assert.That(after.ToJsonString(), Is.EqualTo(before.ToJsonString()), "the stranger changed nothing");
        });
    }

    [Test]
    public async Task A_missing_resource_and_another_workspaces_resource_get_the_same_answer()
    {
        var owner = await Host.NewTenantAsync();
        var stranger = await Host.NewTenantAsync();
        var id = (await owner.Http.CreateOutboundAsync()).Id();
        var theirs = await (await stranger.Http.GetAsync($"/v1/webhooks/{id}")).ProblemAsync(HttpStatusCode.NotFound);
        var missing = await (await stranger.Http.GetAsync($"/v1/webhooks/{Guid.CreateVersion7()}")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.That(theirs["detail"]!.GetValue<string>(), Is.EqualTo(missing["detail"]!.GetValue<string>()));
    }
}
