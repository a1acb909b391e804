namespace Causeloop.Api.Contracts;

public sealed record InboundReceiptResponse(Guid Id, bool Duplicate);

/// <summary>The answer to Slack's <c>url_verification</c> handshake.</summary>
public sealed record SlackChallengeResponse(string Challenge);
