using System.Security.Cryptography;
using System.Text.Json;
using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Application.Events;
using Causeloop.Domain.Events;
using Causeloop.Domain.Inbound;
using Causeloop.Domain.Signing;
using Causeloop.Domain.Webhooks;
using Mediator;

namespace Causeloop.Application.Inbound.ReceiveInboundEvent;

/// <summary>
/// Judges the request in this order, each step answering before the next costs anything: a declared body over the
/// limit (413, whatever the connector); the connector, from the cache (unknown or without a secret: the one 401,
/// before the body is read); the body, read within the limit, its slot and its deadline (413, 503, 408); the
/// signature over the raw bytes, with the connector kind's scheme (failing closed, one 401 for every rejection, its
/// reason written to the connector's rejection log). A verified event is stored with an <c>issue.ingested</c> outbox
/// event in the same transaction (group commit, answered after it commits). A repeated dedupe id is answered with
/// the first event's id and changes nothing.
/// </summary>
public sealed class ReceiveInboundEventCommandHandler(
    IInboundEndpoints endpoints,
    IInboundAdmission admission,
    IRejectionLog rejections,
    IEventWriter writer,
    ISecretProtector protector,
    InboundSettings settings,
    TimeProvider time) : ICommandHandler<ReceiveInboundEventCommand, InboundReceipt>
{
    public const int MaxEventIdLength = 200;

    public async ValueTask<InboundReceipt> Handle(ReceiveInboundEventCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var kind = "unknown";
        try
        {
            var receipt = await ReceiveAsync(command, k => kind = k, cancellationToken);
            CauseloopTelemetry.CountInbound(kind, receipt.Challenge is not null ? "handshake" : receipt.Duplicate ? "duplicate" : "accepted");
            return receipt;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            CauseloopTelemetry.CountInbound(kind, e switch
            {
                InboundRejectedException => "rejected",
                RateLimitedException => "rate_limited",
                PayloadTooLargeException => "too_large",
                BadRequestException => "invalid",
                InboundBusyException => "busy",
                RequestBodyTimeoutException => "timeout",
                _ => "unavailable",
            });
            throw;
        }
    }

    private async ValueTask<InboundReceipt> ReceiveAsync(ReceiveInboundEventCommand command, Action<string> kindFound, CancellationToken cancellationToken)
    {
        if (command.Body.DeclaredLength > settings.MaxBodyBytes)
        {
            // Judged before the connector: a body over the limit gets the same 413 whatever the id.
            Admit(admission.TryAdmitRejected(command.RemoteAddress, out var wait), wait);
            var live = Guid.TryParse(command.ConnectorId?.Trim(), out var id) ? await endpoints.FindAsync(id, cancellationToken) : null;
            if (live is not null)
            {
                kindFound(live.Kind);
            }

            throw TooLarge(command, live, rejectionCharged: true);
        }

        var rejectionCharged = false;
        if (!Guid.TryParse(command.ConnectorId?.Trim(), out var connectorId))
        {
            throw Rejected(command, null, null, "malformed connector id", rejectionCharged);
        }

        if (!endpoints.IsKnown(connectorId))
        {
            // A look-up costs a query; for ids this instance has not seen live it is charged to the rejection budget
            // first, so a flood of random ids is bounded and never touches a connector's own limit.
            Admit(admission.TryAdmitRejected(command.RemoteAddress, out var wait), wait);
            rejectionCharged = true;
        }

        // Unknown connectors and those without a secret are refused before their body is read: whatever it holds,
        // the answer is the same 401, and a body that is never read cannot hold a body-read slot.
        var endpoint = await endpoints.FindAsync(connectorId, cancellationToken)
            ?? throw Rejected(command, null, null, "unknown connector", rejectionCharged);
        kindFound(endpoint.Kind);
        if (endpoint.Secret is null)
        {
            throw Rejected(command, endpoint, null, RejectionReason.NoSecret, rejectionCharged);
        }

        var body = await command.Body.ReadAsync(settings.MaxBodyBytes, cancellationToken)
            ?? throw TooLarge(command, endpoint, rejectionCharged);
        var now = time.GetUtcNow();
        var verdict = InboundSchemes.Verify(endpoint.Kind, new InboundRequest(
            body, command.Headers, LiveSecretsOf(endpoint, now.UtcDateTime), now, settings.TimestampTolerance));
        if (!verdict.IsVerified)
        {
            throw Rejected(command, endpoint, body, verdict.Reason!, rejectionCharged);
        }

        Admit(admission.TryAdmitVerified(connectorId, out var retryAfter), retryAfter, "This connector's rate limit was exceeded");

        var payload = InboundPayload.Parse(endpoint.Kind, body, command.ContentType);
        if (payload is null)
        {
            Log(command, endpoint, body, RejectionReason.InvalidJson);
            throw new BadRequestException("body", endpoint.Kind == ConnectorKind.Slack
                ? "The body is not valid JSON or form data."
                : "The body is not valid JSON.");
        }

        if (payload.Challenge is { } challenge)
        {
            return new InboundReceipt(Guid.Empty, false, challenge);
        }

        if (verdict.DedupeId is { } dedupeId && !StoredText.IsClean(dedupeId, MaxEventIdLength))
        {
            throw new BadRequestException("dedupe id", $"The request's dedupe id must be text of at most {MaxEventIdLength} characters.");
        }

        var inbound = new InboundEvent(
            Ids.New(time), endpoint.WorkspaceId, connectorId, verdict.DedupeId, body,
            StoredText.Clean(command.ContentType, StoredText.MaxHeader), StoredText.Clean(command.UserAgent, StoredText.MaxHeader),
            now.UtcDateTime, endpoint.Kind, StoredText.Clean(verdict.EventType, StoredText.MaxHeader), payload.Json, CausedEventId: Ids.New(time));
        var orderingKey = ProviderObjectKey.Of(endpoint.Kind, body, command.Headers);
        var stored = await writer.StoreInboundAsync(inbound, IssueIngested(inbound, orderingKey, now.UtcDateTime), cancellationToken);
        return new InboundReceipt(stored.Id, stored.Duplicate);
    }

    /// <summary>
    /// A body over the limit is a rejection like any other (charged to the source and the overall budget) and a live
    /// connector's owner sees it in the rejection log.
    /// </summary>
    private PayloadTooLargeException TooLarge(ReceiveInboundEventCommand command, InboundEndpoint? endpoint, bool rejectionCharged)
    {
        if (!rejectionCharged)
        {
            Admit(admission.TryAdmitRejected(command.RemoteAddress, out var wait), wait);
        }

        if (endpoint is not null)
        {
            Log(command, endpoint, null, RejectionReason.BodyTooLarge);
        }

        return new PayloadTooLargeException(settings.MaxBodyBytes);
    }

    private InboundRejectedException Rejected(
        ReceiveInboundEventCommand command, InboundEndpoint? endpoint, byte[]? body, string reason, bool rejectionCharged)
    {
        if (!rejectionCharged)
        {
            Admit(admission.TryAdmitRejected(command.RemoteAddress, out var wait), wait);
        }

        if (endpoint is not null)
        {
            Log(command, endpoint, body, reason);
        }

        return new InboundRejectedException(reason);
    }

    /// <summary>One row of the connector's rejection log; <paramref name="body"/> is null when it was not read.</summary>
    private void Log(ReceiveInboundEventCommand command, InboundEndpoint endpoint, byte[]? body, string reason) =>
        rejections.Record(new InboundRejection(
            Ids.New(time),
            endpoint.WorkspaceId,
            endpoint.ConnectorId,
            time.GetUtcNow().UtcDateTime,
            reason,
            StoredText.Clean(command.RemoteAddress, StoredText.MaxHeader),
            StoredText.Clean(command.UserAgent, StoredText.MaxHeader),
            body?.LongLength ?? command.Body.DeclaredLength,
            body is null ? null : Convert.ToHexStringLower(SHA256.HashData(body))));

    private static void Admit(bool admitted, TimeSpan retryAfter, string message = "Too many rejected requests from this address")
    {
        if (!admitted)
        {
            throw new RateLimitedException(retryAfter, message + "; retry after the time in Retry-After.");
        }
    }

    private List<SigningSecret> LiveSecretsOf(InboundEndpoint endpoint, DateTime now) =>
        [.. LiveSecrets.Of(
            protector.Unprotect(endpoint.Secret!),
            endpoint.PreviousSecretExpiresAt,
            now,
            endpoint.PreviousSecret is { } previous ? () => protector.Unprotect(previous) : null)];

    private static OutboxEvent IssueIngested(InboundEvent inbound, string? orderingKey, DateTime now)
    {
        var id = inbound.CausedEventId!.Value;
        var body = EventEnvelope.Serialize(id, EventType.IssueIngested.Name, now, writer =>
        {
            writer.WriteString("inbound_event_id", inbound.Id);
            writer.WriteString("connector_id", inbound.ConnectorId);
            writer.WriteString("received_at", inbound.ReceivedAt);
            writer.WriteStartObject("source");
            writer.WriteString("kind", inbound.Kind);
            WriteNullable(writer, "event_type", inbound.SourceEventType);
            WriteNullable(writer, "delivery_id", inbound.EventId);
            writer.WriteEndObject();
            writer.WritePropertyName("payload");
            writer.WriteRawValue(inbound.Payload ?? inbound.RawBody, skipInputValidation: true);
        });
        return new OutboxEvent(id, inbound.WorkspaceId, EventType.IssueIngested.Name, body, now, OrderingKey: orderingKey)
        {
            Cause = EventCause.Inbound(inbound.ConnectorId, inbound.Id),
        };
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
