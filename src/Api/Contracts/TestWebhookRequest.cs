namespace Causeloop.Api.Contracts;

/// <summary><c>POST /v1/webhooks/{id}/test</c>'s optional body: the catalog type of the example to send (else <c>webhook.test</c>).</summary>
public sealed record TestWebhookRequest(string? EventType = null);
