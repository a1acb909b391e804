using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Causeloop.Api.Hosting;

/// <summary>
/// The document's title and introduction: what a user opening <c>/scalar</c> reads first; and its <c>servers</c>: the
/// public base URL when one is configured (<c>Causeloop:PublicBaseUrl</c>), never the address that happened to serve the
/// document (a loopback behind a proxy).
/// </summary>
public sealed class DocumentInfoTransformer(IOptions<CauseloopOptions> options) : IOpenApiDocumentTransformer
{
    public const string Title = "Causeloop webhooks API";

    public const string Introduction = """
        Causeloop receives and sends webhooks: source systems POST signed events in, Causeloop POSTs signed events out to
        your endpoints, retries on failure and keeps a log.

        **Authentication and scopes.** Send `Authorization: Bearer <API key>`. Keys carry scopes: `webhooks:read`,
        `webhooks:admin`, `connectors:read`, `connectors:admin`, `events:write`; `X:admin` implies `X:read`. GET needs
        `:read`, POST/PATCH/DELETE need `:admin` (`POST /v1/events` needs `events:write`). No key, or an unknown or
        revoked one: 401. A key without the scope: 403 naming it in `WWW-Authenticate`.

        **Pagination.** Lists take `?limit=` (1–100, default 50) and `?cursor=` and answer `{"data": [...], "next_cursor"}`,
        newest first; pass `next_cursor` back for the next page.

        **Errors.** Every error is an RFC 9457 problem detail (`application/problem+json`); validation errors carry an
        `errors` map of field to messages. Unknown fields in a body are refused (400). While the database is unreachable
        the API answers 503 and acknowledges nothing.

        **Idempotency.** `POST /v1/events` takes an optional `idempotency_key`: a repeat answers 200 with the first event's id.
        Inbound requests carrying `x-causeloop-event-id` are deduplicated per connector the same way.

        **Inbound signing.** `POST /v1/webhooks/inbound/{connector_id}` takes no API key: sign the raw body with
        HMAC-SHA256 keyed with the UTF-8 bytes of the whole `whsec_…` secret and send the hex digest in
        `x-causeloop-signature`. Every request that fails verification gets the same 401.
        """;

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Info ??= new OpenApiInfo();
        document.Info.Title = Title;
        document.Info.Version = "v1";
        document.Info.Description = Introduction;
        if (options.Value.PublicBaseUrl is { } publicBase)
        {
            document.Servers = [new OpenApiServer { Url = publicBase.ToString().TrimEnd('/'), Description = "Causeloop" }];
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// Stable operation ids, the method names of a generated client: <c>{Controller}_{Action}</c> (for example
/// <c>Webhooks_Create</c>), unique across the document.
/// </summary>
public sealed class OperationIdTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Description.ActionDescriptor is ControllerActionDescriptor action)
        {
            operation.OperationId = $"{action.ControllerName}_{action.ActionName}";
        }

        return Task.CompletedTask;
    }
}
