namespace Causeloop.Domain.Webhooks;

public static class WebhookDirection
{
    public const string Outbound = "outbound";
    public const string Inbound = "inbound";

    public static bool IsKnown(string? value) => value is Outbound or Inbound;
}
