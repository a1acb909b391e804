using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Domain.Access;
using Causeloop.Domain.Portal;
using Mediator;

namespace Causeloop.Application.Webhooks.UpdateWebhook;

/// <summary>PATCH: only the fields present change. Re-enabling clears <c>disabled_reason</c>.</summary>
public sealed record UpdateWebhookCommand(
    Guid Id,
    PatchField<string?> Url,
    PatchField<IReadOnlyList<string>?> EventTypes,
    PatchField<bool?> Enabled,
    PatchField<string?> Description,
    PatchField<System.Text.Json.JsonElement?> Filter = default) : ICommand<WebhookDto>, IRequireScope, IRequirePortalCapability
{
    public static Scope RequiredScope => Scope.WebhooksAdmin;

    public static string RequiredCapability => PortalCapability.Manage;
}
