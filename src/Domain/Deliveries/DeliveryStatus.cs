namespace Causeloop.Domain.Deliveries;

/// <summary>Delivery states (SPEC §6).</summary>
public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string InFlight = "in_flight";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Dead = "dead";
    public const string Cancelled = "cancelled";

    public static IReadOnlyList<string> All { get; } = [Pending, InFlight, Succeeded, Failed, Dead, Cancelled];

    /// <summary>Not finished: waiting for its first attempt, under way, or waiting for a retry.</summary>
    public static IReadOnlyList<string> Unfinished { get; } = [Pending, InFlight, Failed];

    /// <summary>Finished for good (a redelivery or a recover is a new delivery).</summary>
    public static IReadOnlyList<string> Final { get; } = [Succeeded, Dead, Cancelled];

    public static bool IsFinal(string? value) => Final.Contains(value);

    public static bool IsKnown(string? value) => All.Contains(value);
}
