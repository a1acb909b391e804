namespace Causeloop.Application.Abstractions;

/// <summary>Settings the webhook handlers need: how long a rotated-out secret stays valid.</summary>
public sealed record WebhookSettings(TimeSpan SecretOverlap)
{
    public static readonly TimeSpan DefaultSecretOverlap = TimeSpan.FromHours(24);
}
