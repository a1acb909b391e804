using Causeloop.Api.Contracts;
using Causeloop.Application.Common;
using Causeloop.Application.Deliveries.Recover;
using Causeloop.Application.Events.PublishEvent;
using Causeloop.Application.Webhooks;
using Causeloop.Application.Webhooks.CreateWebhook;
using Causeloop.Application.Webhooks.DeleteWebhook;
using Causeloop.Application.Webhooks.GetWebhook;
using Causeloop.Application.Webhooks.ListWebhooks;
using Causeloop.Application.Webhooks.RotateWebhookSecret;
using Causeloop.Application.Webhooks.TestWebhook;
using Causeloop.Application.Webhooks.TestWebhookFilter;
using Causeloop.Application.Webhooks.UpdateWebhook;
using Causeloop.Domain.Webhooks;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Causeloop.Api.Controllers;

[ApiController]
[Authorize]
[Route("v1/webhooks")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
[ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden, "application/problem+json")]
public sealed class WebhooksController(ISender sender) : ControllerBase
{
    /// <summary>Creates an outbound webhook, or a connector's inbound webhook. The only answer besides rotate-secret that shows the signing secret.</summary>
    [EndpointSummary("Create a webhook")]
    [EndpointDescription("Outbound: `url` and `event_types` (from the catalog, or `[\"*\"]`), and optionally `headers` (up to 20 static headers sent on every attempt; values stored encrypted and answered as `\"***\"`) and `auth` (`oauth2_client_credentials`: a bearer token fetched from `token_url`; or `mtls`: a client certificate; its secret is stored encrypted and never answered), `filter` (a payload filter; only matching events are delivered) and `rate_limit` (at most this many deliveries start per second, 1–10,000). Inbound: `connector_id` (one per connector), and `signing_secret` to import the secret the provider generated (Stripe, Shopify, Slack, PagerDuty, Linear, a Svix sender). The answer holds the `signing_secret`, shown only here and by rotate-secret. Scope: `webhooks:admin`.")]
    [HttpPost]
    [ProducesResponseType<WebhookWithSecretResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<IActionResult> Create(CreateWebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var created = await sender.Send(
            new CreateWebhookCommand(request.Url, request.EventTypes, request.ConnectorId, request.Description, request.Enabled, request.SigningSecret,
                request.Filter, request.Headers, request.Auth?.ToAuth(), request.RateLimit), cancellationToken);
        return Created($"/v1/webhooks/{created.Webhook.Id}", WebhookWithSecretResponse.From(created));
    }

    /// <summary>Lists webhooks, newest first. Filters: direction, enabled.</summary>
    [EndpointSummary("List webhooks")]
    [EndpointDescription("The workspace's webhooks, newest first; filter with `direction` and `enabled`. Scope: `webhooks:read`.")]
    [HttpGet]
    [ProducesResponseType<Page<WebhookDto>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<Page<WebhookDto>> List(
        [FromQuery] string? direction, [FromQuery] bool? enabled, [FromQuery] int? limit, [FromQuery] string? cursor, CancellationToken cancellationToken) =>
        await sender.Send(new ListWebhooksQuery(direction, enabled, limit, cursor), cancellationToken);

    [EndpointSummary("Get a webhook")]
    [EndpointDescription("One webhook of the workspace; 404 for an id of another workspace. Scope: `webhooks:read`.")]
    [HttpGet("{id:guid}")]
    [ProducesResponseType<WebhookDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<WebhookDto> Get(Guid id, CancellationToken cancellationToken) =>
        await sender.Send(new GetWebhookQuery(id), cancellationToken);

    /// <summary>Changes url, event_types, enabled, description, headers or auth; any other field is rejected. Re-enabling clears disabled_reason.</summary>
    [EndpointSummary("Update a webhook")]
    [EndpointDescription("Changes `url`, `event_types`, `enabled`, `description`, `filter`, `headers`, `auth` or `rate_limit`; any other field is a 400. `filter`, `headers`, `auth` and `rate_limit` are replaced whole, and `null` removes them. Re-enabling clears `disabled_reason`. Scope: `webhooks:admin`.")]
    [HttpPatch("{id:guid}")]
    [ProducesResponseType<WebhookDto>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<WebhookDto> Update(Guid id, UpdateWebhookRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var eventTypes = request.EventTypes.IsPresent
            ? new PatchField<IReadOnlyList<string>?>(true, request.EventTypes.Value)
            : default;
        var headers = request.Headers.IsPresent
            ? new PatchField<IReadOnlyDictionary<string, string?>?>(true, request.Headers.Value)
            : default;
        var auth = request.Auth.IsPresent ? new PatchField<EndpointAuth?>(true, request.Auth.Value?.ToAuth()) : default;
        return await sender.Send(new UpdateWebhookCommand(id, request.Url, eventTypes, request.Enabled, request.Description, request.Filter, headers, auth, request.RateLimit), cancellationToken);
    }

    /// <summary>Deletes the webhook; its pending deliveries are cancelled.</summary>
    [EndpointSummary("Delete a webhook")]
    [EndpointDescription("Deletes the webhook and cancels its pending deliveries. Scope: `webhooks:admin`.")]
    [HttpDelete("{id:guid}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken)
    {
        await sender.Send(new DeleteWebhookCommand(id), cancellationToken);
        return NoContent();
    }

    /// <summary>Issues a new signing secret; the previous one stays valid for the overlap (24 h by default).</summary>
    [EndpointSummary("Rotate a webhook's signing secret")]
    [EndpointDescription("Answers the new `signing_secret`, generated, or for an inbound webhook the one its provider generated (`{\"signing_secret\": ...}`); the previous one stays valid for the overlap (24 h by default): inbound accepts either, outbound signs `webhook-signature` with both. Scope: `webhooks:admin`.")]
    [HttpPost("{id:guid}/rotate-secret")]
    [ProducesResponseType<WebhookWithSecretResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<WebhookWithSecretResponse> RotateSecret(
        Guid id, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] RotateSecretRequest? request, CancellationToken cancellationToken) =>
        WebhookWithSecretResponse.From(await sender.Send(new RotateWebhookSecretCommand(id, request?.SigningSecret), cancellationToken));

    /// <summary>Recovers the webhook's dead deliveries of a time window, or previews what a recover would send.</summary>
    [EndpointSummary("Recover dead deliveries")]
    [EndpointDescription("A fresh delivery of every event created in `[since, until)` (until: now when left out), of `event_types` only when given, whose delivery to this webhook ended `dead` and that has no delivery to it pending, under way or succeeded since — so calling it again does not resend what an earlier call recovered. Answers 202 with how many. With `dry_run: true` it creates nothing and answers 200 with how many a real run would create and a `sample` of the first 100 of their events (oldest first), so a replay can be checked before it is sent; a real run with the same body right after creates exactly that many. Scope: `webhooks:admin`.")]
    [HttpPost("{id:guid}/recover")]
    [ProducesResponseType<RecoverResponse>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<RecoverPreviewResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<IActionResult> Recover(Guid id, RecoverRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await sender.Send(new RecoverWebhookCommand(id, request.Since, request.Until, request.EventTypes, request.DryRun ?? false), cancellationToken);
        return result.Sample is { } sample ? Ok(new RecoverPreviewResponse(result.Count, sample)) : Accepted(new RecoverResponse(result.Count));
    }

    /// <summary>Delivers a webhook.test event, or an example event of a chosen type, to this webhook alone.</summary>
    [EndpointSummary("Send a test or example event")]
    [EndpointDescription("Delivers a `webhook.test` event to this webhook alone, or with `{\"event_type\": ...}` an example event of that type from the catalog (its `data` is the catalog's example), whatever the webhook subscribes to; answers 202 with the event's id. The event's cause is `test`. Scope: `webhooks:admin`.")]
    [HttpPost("{id:guid}/test")]
    [ProducesResponseType<IdResponse>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<IActionResult> Test(Guid id, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] TestWebhookRequest? request, CancellationToken cancellationToken)
    {
        PublishedEvent published = await sender.Send(new TestWebhookCommand(id, request?.EventType), cancellationToken);
        return Accepted(new IdResponse(published.Id));
    }

    /// <summary>Tries the webhook's payload filter on an event without sending anything.</summary>
    [EndpointSummary("Test a webhook's payload filter")]
    [EndpointDescription("Evaluates the webhook's `filter` on the envelope an event of `type` with `data` would have (`{\"id\",\"type\",\"created_at\",\"data\"}`) and answers `{\"matches\": bool}`; nothing is stored or sent. A webhook without a filter matches every event (its `event_types` still decide which types it gets). Scope: `webhooks:read`.")]
    [HttpPost("{id:guid}/filter/test")]
    [ProducesResponseType<FilterTestResult>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public async Task<FilterTestResult> TestFilter(Guid id, TestFilterRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await sender.Send(new TestWebhookFilterQuery(id, request.Type, request.Data), cancellationToken);
    }
}
