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
public sealed class ReceiveInboundEventCommandHandler(IInboundEndpoints endpoints, IEventWriter writer, ISecretProtector protector, TimeProvider time)
    : ICommandHandler<ReceiveInboundEventCommand, InboundReceipt>
{
    public const int MaxEventIdLength = 200;

    public async ValueTask<InboundReceipt> Handle(ReceiveInboundEventCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!Guid.TryParse(command.ConnectorId?.Trim(), out var connectorId))
        {
            throw new InboundRejectedException("malformed connector id");
        }

        if (command.Signatures.All(string.IsNullOrWhiteSpace))
        {
            throw new InboundRejectedException("no signature");
        }

        var endpoint = await endpoints.FindAsync(connectorId, cancellationToken)
            ?? throw new InboundRejectedException("no enabled inbound webhook for the connector");

        var now = time.UtcNow();
        if (!PayloadSignature.VerifyAny(LiveSecretsOf(endpoint, now), command.Body, command.Signatures))
        {
            throw new InboundRejectedException("signature mismatch");
        }

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
