namespace Causeloop.Api.Contracts;

/// <summary>The portal link's one-time token, as the landing page's script posts it to <c>/portal/exchange</c>.</summary>
public sealed record ExchangePortalTokenRequest(string? Token);
