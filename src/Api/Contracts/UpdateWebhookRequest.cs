using Causeloop.Application.Common;

namespace Causeloop.Api.Contracts;

/// <summary>PATCH: only these fields; any other is rejected. <c>filter</c>: an object, or null to remove it.</summary>
public sealed record UpdateWebhookRequest
{
    public PatchField<string?> Url { get; init; }
    public PatchField<List<string>?> EventTypes { get; init; }
    public PatchField<bool?> Enabled { get; init; }
    public PatchField<string?> Description { get; init; }
    public PatchField<System.Text.Json.JsonElement?> Filter { get; init; }
}
