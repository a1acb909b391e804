using Causeloop.Application.Common;

namespace Causeloop.Api.Contracts;

/// <summary>PATCH: only these four fields; any other is rejected.</summary>
public sealed record UpdateWebhookRequest
{
    public PatchField<string?> Url { get; init; }
    public PatchField<List<string>?> EventTypes { get; init; }
    public PatchField<bool?> Enabled { get; init; }
    public PatchField<string?> Description { get; init; }
}
