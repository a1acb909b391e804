using System.Text.Json;

namespace Causeloop.Api.Contracts;

public sealed record PublishEventRequest(string? Type, JsonElement? Data, string? IdempotencyKey);
