namespace Causeloop.Infrastructure.Delivery;

/// <summary><c>Causeloop:Outbound:*</c>.</summary>
public sealed class OutboundOptions
{
    public const string Section = "Causeloop:Outbound";

    /// <summary>Let deliveries connect to loopback and private addresses (Development and tests only). Default: true in Development.</summary>
    public bool? AllowPrivateNetworks { get; set; }
}
