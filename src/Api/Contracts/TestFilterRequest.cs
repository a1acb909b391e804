using System.Text.Json;

namespace Causeloop.Api.Contracts;

/// <summary>An event to try a webhook's payload filter on: its <c>type</c> and <c>data</c>, as in <c>POST /v1/events</c>.</summary>
public sealed record TestFilterRequest(string? Type, JsonElement? Data);
