using System.Text.Json;
using Causeloop.Application.Abstractions;
using Causeloop.Domain.Webhooks;

namespace Causeloop.Application.Webhooks;

/// <summary>
/// A webhook's static headers as stored: the names in <c>webhooks.header_names</c> (to show, with the values masked) and
/// the name → value pairs, in order, encrypted as one JSON object in <c>webhooks.headers</c>.
/// </summary>
public static class EndpointHeaderValues
{
    public static byte[] Protect(IReadOnlyDictionary<string, string?> headers, ISecretProtector protector)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(protector);
        return protector.Protect(JsonSerializer.Serialize(headers));
    }

    /// <summary>The pairs to send, in the order they were given.</summary>
    public static KeyValuePair<string, string>[] Unprotect(byte[] stored, ISecretProtector protector)
    {
        ArgumentNullException.ThrowIfNull(protector);
        var map = JsonSerializer.Deserialize<Dictionary<string, string>>(protector.Unprotect(stored)) ?? [];
        return [.. map];
    }

    /// <summary>What answers show: each name with <see cref="EndpointHeaders.Mask"/>; null when there are none.</summary>
    public static IReadOnlyDictionary<string, string>? Masked(string[]? names) =>
        names is null ? null : names.ToDictionary(n => n, _ => EndpointHeaders.Mask, StringComparer.Ordinal);
}
