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

    public static bool IsKnown(string? value) => All.Contains(value);
}
