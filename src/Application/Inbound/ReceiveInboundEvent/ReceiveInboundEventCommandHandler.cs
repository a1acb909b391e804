using System.Security.Cryptography;
using System.Text.Json;
using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Application.Events;
using Causeloop.Domain.Inbound;
using Causeloop.Domain.Signing;
using Causeloop.Domain.Webhooks;
using Mediator;

namespace Causeloop.Application.Inbound.ReceiveInboundEvent;

/// <summary>
/// Verifies the request with its connector kind's scheme over the raw bytes before anything else (failing closed,
/// one 401 for every rejection, its reason written to the connector's rejection log), then stores the event and an
/// <c>issue.ingested</c> outbox event in the same transaction (group commit, answered after it commits). A repeated
/// dedupe id is answered with the first event's id and changes nothing.
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
                _ => "unavailable",
            });
            throw;
        }
    }

    private async ValueTask<InboundReceipt> ReceiveAsync(ReceiveInboundEventCommand command, Action<string> kindFound, CancellationToken cancellationToken)
    {
        if (command.Body is not { } body)
        {
            throw await TooLargeAsync(command, kindFound, cancellationToken);
        }

        var rejectionCharged = false;
        if (!Guid.TryParse(command.ConnectorId?.Trim(), out var connectorId))
        {
            throw Rejected(command, null, "malformed connector id", rejectionCharged);
        }

        if (!endpoints.IsKnown(connectorId))
        {
            // A look-up costs a query; for ids this instance has not seen live it is charged to the rejection budget
            // first, so a flood of random ids is bounded and never touches a connector's own limit.
            Admit(admission.TryAdmitRejected(command.RemoteAddress, out var wait), wait);
            rejectionCharged = true;
        }

        var endpoint = await endpoints.FindAsync(connectorId, cancellationToken)
            ?? throw Rejected(command, null, "unknown connector", rejectionCharged);
        kindFound(endpoint.Kind);
        if (endpoint.Secret is null)
        {
            throw Rejected(command, endpoint, RejectionReason.NoSecret, rejectionCharged);
        }

        var now = time.GetUtcNow();
        var verdict = InboundSchemes.Verify(endpoint.Kind, new InboundRequest(
            body, command.Headers, LiveSecretsOf(endpoint, now.UtcDateTime), now, settings.TimestampTolerance));
        if (!verdict.IsVerified)
        {
            throw Rejected(command, endpoint, verdict.Reason!, rejectionCharged);
        }

        Admit(admission.TryAdmitVerified(connectorId, out var retryAfter), retryAfter, "This connector's rate limit was exceeded");

        var payload = InboundPayload.Parse(endpoint.Kind, body, command.ContentType);
        if (payload is null)
        {
            Log(command, endpoint, RejectionReason.InvalidJson);
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
            now.UtcDateTime, endpoint.Kind, StoredText.Clean(verdict.EventType, StoredText.MaxHeader), payload.Json);
        var stored = await writer.StoreInboundAsync(inbound, IssueIngested(inbound, now.UtcDateTime), cancellationToken);
        return new InboundReceipt(stored.Id, stored.Duplicate);
    }

    /// <summary>
    /// A body over the limit is answered 413 whatever the connector (live, unknown, or an id that is not one), so the
    /// answer cannot tell which ids exist. It is a rejection like any other (charged to the source and the overall
    /// budget, which also bounds the look-ups of unseen ids) and a live connector's owner sees it in the rejection log.
    /// </summary>
    private async ValueTask<PayloadTooLargeException> TooLargeAsync(ReceiveInboundEventCommand command, Action<string> kindFound, CancellationToken cancellationToken)
    {
        Admit(admission.TryAdmitRejected(command.RemoteAddress, out var wait), wait);
        if (Guid.TryParse(command.ConnectorId?.Trim(), out var connectorId) && await endpoints.FindAsync(connectorId, cancellationToken) is { } endpoint)
        {
            kindFound(endpoint.Kind);
            Log(command, endpoint, RejectionReason.BodyTooLarge);
        }

        return new PayloadTooLargeException(settings.MaxBodyBytes);
    }

    private InboundRejectedException Rejected(ReceiveInboundEventCommand command, InboundEndpoint? endpoint, string reason, bool rejectionCharged)
    {
        if (!rejectionCharged)
        {
            Admit(admission.TryAdmitRejected(command.RemoteAddress, out var wait), wait);
        }

        if (endpoint is not null)
        {
            Log(command, endpoint, reason);
        }

        return new InboundRejectedException(reason);
    }

    private void Log(ReceiveInboundEventCommand command, InboundEndpoint endpoint, string reason) =>
        rejections.Record(new InboundRejection(
            Ids.New(time),
            endpoint.WorkspaceId,
            endpoint.ConnectorId,
            time.GetUtcNow().UtcDateTime,
            reason,
            StoredText.Clean(command.RemoteAddress, StoredText.MaxHeader),
            StoredText.Clean(command.UserAgent, StoredText.MaxHeader),
            command.Body?.LongLength ?? command.ContentLength,
            command.Body is { } body ? Convert.ToHexStringLower(SHA256.HashData(body)) : null));

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

    private OutboxEvent IssueIngested(InboundEvent inbound, DateTime now)
    {
        var id = Ids.New(time);
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
        return new OutboxEvent(id, inbound.WorkspaceId, EventType.IssueIngested.Name, body, now);
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
