namespace Causeloop.Infrastructure.Outbound;

/// <summary><c>Causeloop:Outbound:*</c>.</summary>
public sealed class OutboundOptions
{
    public const string Section = "Causeloop:Outbound";

    /// <summary>Let deliveries connect to loopback and private addresses (Development and tests only). Default: true in Development.</summary>
    public bool? AllowPrivateNetworks { get; set; }

    /// <summary>No setting of this section can be wrong (the one there is a switch); here for the same shape as the others.</summary>
    public static IEnumerable<string> Problems() => [];
}
