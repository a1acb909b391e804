namespace Causeloop.Domain.Deliveries;

/// <summary>
/// The settings the delivery rules run with: the retry schedule, how long a webhook may fail throughout before it is
/// disabled, the consecutive failure that sends <c>endpoint.failing</c>, and the <c>message.attempt.exhausted</c> debounce.
/// </summary>
public sealed record DeliveryRules(RetrySchedule Schedule, TimeSpan DisableAfter, int FailingAlertAfter, TimeSpan ExhaustedAlertDebounce)
{
    public const int DefaultFailingAlertAfter = 5;

    public static readonly TimeSpan DefaultExhaustedAlertDebounce = TimeSpan.FromHours(1);

    public static DeliveryRules Default { get; } = new(RetrySchedule.Default, Delivery.DefaultDisableAfter, DefaultFailingAlertAfter, DefaultExhaustedAlertDebounce);
}
