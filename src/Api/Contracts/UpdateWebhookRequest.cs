using Causeloop.Application.Common;

namespace Causeloop.Api.Contracts;

/// <summary>PATCH: only these fields; any other is rejected. <c>filter</c>, <c>headers</c>, <c>auth</c> and <c>rate_limit</c> are replaced whole; null removes them.</summary>
public sealed record UpdateWebhookRequest
{
    public PatchField<string?> Url { get; init; }
    public PatchField<List<string>?> EventTypes { get; init; }
    public PatchField<bool?> Enabled { get; init; }
    public PatchField<string?> Description { get; init; }
    public PatchField<System.Text.Json.JsonElement?> Filter { get; init; }
    public PatchField<Dictionary<string, string?>?> Headers { get; init; }
    public PatchField<EndpointAuthRequest?> Auth { get; init; }
    public PatchField<long?> RateLimit { get; init; }
}
