namespace Causeloop.Application.Portal;

/// <summary>
/// An outbound webhook as the portal's list shows it. The success rate (2xx answers among attempts of the last 24 h) and
/// the last attempt come from its latest <see cref="SampleDeliveries"/> deliveries, so the page stays cheap however
/// many deliveries a webhook has.
/// </summary>
public sealed record PortalWebhookSummary(
    Guid Id, string? Url, string? Description, bool Enabled, string? DisabledReason,
    double? SuccessRate24h, DateTime? LastAttemptAt, int? LastStatusCode, string? LastError)
{
    public const int SampleDeliveries = 100;
}
