using System.Text.Json;
using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Application.Events;
using Causeloop.Domain.Signing;
using Causeloop.Domain.Webhooks;
using Mediator;

namespace Causeloop.Application.Inbound.ReceiveInboundEvent;

/// <summary>
/// Verifies the signature over the raw bytes before anything else (failing closed), then stores the event
/// and an <c>issue.ingested</c> outbox event in the same transaction (group commit, answered after it commits).
/// A repeated event id is answered with the first event's id and changes nothing.
/// </summary>
public sealed class ReceiveInboundEventCommandHandler(
    IInboundEndpoints endpoints, IInboundAdmission admission, IEventWriter writer, ISecretProtector protector, TimeProvider time)
    : ICommandHandler<ReceiveInboundEventCommand, InboundReceipt>
{
    public const int MaxEventIdLength = 200;

    public async ValueTask<InboundReceipt> Handle(ReceiveInboundEventCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var rejectionCharged = false;
        if (!Guid.TryParse(command.ConnectorId?.Trim(), out var connectorId))
        {
            throw Rejected(command, "malformed connector id", rejectionCharged);
        }

        if (command.Signatures.All(string.IsNullOrWhiteSpace))
        {
            throw Rejected(command, "no signature", rejectionCharged);
        }

        if (!endpoints.IsKnown(connectorId))
        {
            // A look-up costs a query; for ids this instance has not seen live it is charged to the rejection budget
            // first, so a flood of random ids is bounded and never touches a connector's own limit.
            Admit(admission.TryAdmitRejected(command.RemoteAddress, out var wait), wait);
            rejectionCharged = true;
        }

        var endpoint = await endpoints.FindAsync(connectorId, cancellationToken)
            ?? throw Rejected(command, "no enabled inbound webhook for the connector", rejectionCharged);

        var now = time.UtcNow();
        if (!PayloadSignature.VerifyAny(LiveSecretsOf(endpoint, now), command.Body, command.Signatures))
        {
            throw Rejected(command, "signature mismatch", rejectionCharged);
        }

        Admit(admission.TryAdmitVerified(connectorId, out var retryAfter), retryAfter, "This connector's rate limit was exceeded");

        if (!IsJson(command.Body))
        {
            throw new BadRequestException("body", "The body is not valid JSON.");
        }

        var eventId = string.IsNullOrEmpty(command.EventId) ? null : command.EventId;
        if (eventId is { Length: > MaxEventIdLength })
        {
            throw new BadRequestException("x-causeloop-event-id", $"The event id must be at most {MaxEventIdLength} characters.");
        }

        var inbound = new InboundEvent(
            Ids.New(time), endpoint.WorkspaceId, connectorId, eventId, command.Body, command.ContentType, command.UserAgent, now);
        var stored = await writer.StoreInboundAsync(inbound, IssueIngested(inbound, now), cancellationToken);
        return new InboundReceipt(stored.Id, stored.Duplicate);
    }

    private InboundRejectedException Rejected(ReceiveInboundEventCommand command, string reason, bool rejectionCharged)
    {
        if (!rejectionCharged)
        {
            Admit(admission.TryAdmitRejected(command.RemoteAddress, out var wait), wait);
        }

        return new InboundRejectedException(reason);
    }

    private static void Admit(bool admitted, TimeSpan retryAfter, string message = "Too many rejected requests from this address")
    {
        if (!admitted)
        {
            throw new RateLimitedException(retryAfter, message + "; retry after the time in Retry-After.");
        }
    }

    private IReadOnlyList<SigningSecret> LiveSecretsOf(InboundEndpoint endpoint, DateTime now) =>
        LiveSecrets.Of(
            protector.Unprotect(endpoint.Secret),
            endpoint.PreviousSecretExpiresAt,
            now,
            endpoint.PreviousSecret is { } previous ? () => protector.Unprotect(previous) : null);

    private static bool IsJson(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private OutboxEvent IssueIngested(InboundEvent inbound, DateTime now)
    {
        var id = Ids.New(time);
        var body = EventEnvelope.Serialize(id, EventType.IssueIngested.Name, now, writer =>
        {
            writer.WriteString("inbound_event_id", inbound.Id);
            writer.WriteString("connector_id", inbound.ConnectorId);
            writer.WriteString("received_at", inbound.ReceivedAt);
            writer.WritePropertyName("payload");
            writer.WriteRawValue(inbound.RawBody, skipInputValidation: true);
        });
        return new OutboxEvent(id, inbound.WorkspaceId, EventType.IssueIngested.Name, body, now);
    }
}
