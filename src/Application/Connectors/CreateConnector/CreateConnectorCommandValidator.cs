using Causeloop.Domain.Inbound;
using FluentValidation;

namespace Causeloop.Application.Connectors.CreateConnector;

public sealed class CreateConnectorCommandValidator : AbstractValidator<CreateConnectorCommand>
{
    public const int MaxNameLength = 200;

    public CreateConnectorCommandValidator()
    {
        RuleFor(c => c.Name).NotEmpty().MaximumLength(MaxNameLength).OverridePropertyName("name");
        RuleFor(c => c.Kind)
            .NotEmpty()
            .Must(k => k is null || ConnectorKind.All.Contains(k))
            .WithMessage($"kind must be one of: {string.Join(", ", ConnectorKind.All)}.")
            .OverridePropertyName("kind");
    }
}
