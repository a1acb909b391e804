using Causeloop.Application.Abstractions;
using Causeloop.Application.Common;
using Causeloop.Domain.Access;
using Causeloop.Domain.Portal;
using Causeloop.Domain.Webhooks;
using Mediator;

namespace Causeloop.Application.Webhooks.UpdateWebhook;

/// <summary>
/// PATCH: only the fields present change; <see cref="Headers"/> and <see cref="Auth"/> are replaced whole (null removes).
/// Re-enabling clears <c>disabled_reason</c>. A portal session needs <c>manage</c>, and <c>secrets</c> as well to change
/// headers or auth.
/// </summary>
public sealed record UpdateWebhookCommand(
    Guid Id,
    PatchField<string?> Url,
    PatchField<IReadOnlyList<string>?> EventTypes,
    PatchField<bool?> Enabled,
    PatchField<string?> Description,
    PatchField<System.Text.Json.JsonElement?> Filter = default,
    PatchField<IReadOnlyDictionary<string, string?>?> Headers = default,
    PatchField<EndpointAuth?> Auth = default,
    PatchField<long?> RateLimit = default) : ICommand<WebhookDto>, IRequireScope, IRequirePortalCapability, IRequireExtraPortalCapability
{
    public static Scope RequiredScope => Scope.WebhooksAdmin;

    public static string RequiredCapability => PortalCapability.Manage;

    public string? ExtraCapability => Headers.IsPresent || Auth.IsPresent ? PortalCapability.Secrets : null;
}
