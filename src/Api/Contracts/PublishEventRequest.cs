using System.Text.Json;

namespace Causeloop.Api.Contracts;

/// <summary>
/// <c>type</c> and <c>data</c>; <c>idempotency_key</c> and <c>ordering_key</c> are optional. Events with the same
/// <c>ordering_key</c> reach each webhook one at a time, in the order they were accepted.
/// </summary>
public sealed record PublishEventRequest(string? Type, JsonElement? Data, string? IdempotencyKey = null, string? OrderingKey = null);
