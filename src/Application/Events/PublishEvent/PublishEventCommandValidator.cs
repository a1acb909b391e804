using System.Text.Json;
using Causeloop.Domain.Webhooks;
using FluentValidation;

namespace Causeloop.Application.Events.PublishEvent;

public sealed class PublishEventCommandValidator : AbstractValidator<PublishEventCommand>
{
    public const int MaxIdempotencyKeyLength = 255;

    public PublishEventCommandValidator()
    {
        RuleFor(c => c.Type)
            .NotEmpty()
            .Must(EventType.IsKnown)
            .WithMessage("Unknown event type. See GET /v1/event-types.")
            .OverridePropertyName("type");
        RuleFor(c => c.Data)
            .Must(d => d is { ValueKind: JsonValueKind.Object })
            .WithMessage("data must be a JSON object.")
            .Must(d => d is not { ValueKind: JsonValueKind.Object } data || Common.JsonText.IsUnicode(data))
            .WithMessage("data holds a string that is not Unicode text (a lone surrogate escape such as \\ud800 without its pair).")
            .OverridePropertyName("data");
        RuleFor(c => c.IdempotencyKey)
            .Must(k => k is null || (k.Length is > 0 and <= MaxIdempotencyKeyLength))
            .WithMessage($"idempotency_key must be 1 to {MaxIdempotencyKeyLength} characters.")
            .Must(k => k is null || Common.StoredText.IsClean(k, MaxIdempotencyKeyLength))
            .WithMessage("idempotency_key must be text without NUL characters or lone surrogates.")
            .OverridePropertyName("idempotency_key");
        RuleFor(c => c.OrderingKey)
            .Must(k => k is null || Domain.Deliveries.OrderingKey.IsValid(k))
            .WithMessage($"ordering_key must be 1 to {Domain.Deliveries.OrderingKey.MaxLength} printable characters.")
            .OverridePropertyName("ordering_key");
    }
}
