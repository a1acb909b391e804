using System.Text.Json;

namespace Causeloop.Api.Contracts;

/// <summary><c>type</c> and <c>data</c>; <c>idempotency_key</c> is optional.</summary>
public sealed record PublishEventRequest(string? Type, JsonElement? Data, string? IdempotencyKey = null);
