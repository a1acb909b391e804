using System.Text.Json.Nodes;
using Causeloop.Api.Contracts;
using Causeloop.Domain.Events;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Causeloop.Api.Hosting;

/// <summary>An event cause's <c>kind</c> as the enum it is, saying which fields come with each kind.</summary>
public sealed class EventCauseSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        if (context.JsonTypeInfo.Type == typeof(EventCauseResponse) && schema.Properties?.TryGetValue("kind", out var kind) == true && kind is OpenApiSchema property)
        {
            property.Enum = [.. EventCause.Kinds.Select(k => (JsonNode)JsonValue.Create(k)!)];
            property.Description = $"""
                Where the event came from, recorded when it was written:

                - `{EventCause.InboundKind}`: a verified inbound request; with `connector_id` and `inbound_event_id`.
                - `{EventCause.ApiKind}`: `POST /v1/events`; with `api_key_prefix`, the visible prefix of the key that published it.
                - `{EventCause.TestKind}`: a test or example send to one webhook.
                - `{EventCause.OperationalKind}`: a change of a webhook's health (`endpoint.failing`, …); with `webhook_id`, the webhook it is about.
                """;
        }

        return Task.CompletedTask;
    }
}
