namespace Causeloop.Application.Common;

/// <summary>The caller is a portal session without the capability the message needs, or one no capability allows (403).</summary>
public sealed class MissingCapabilityException(string? needed)
    : Exception(needed is null ? "A portal session may not do this." : $"This portal session lacks the capability '{needed}'.")
{
    /// <summary>The capability the message names; null when it names none (no portal session may send it).</summary>
    public string? Needed { get; } = needed;
}
