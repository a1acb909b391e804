namespace Causeloop.Domain.Inbound;

/// <summary>The scheme of each connector kind.</summary>
public static class InboundSchemes
{
    private static readonly Dictionary<string, IInboundScheme> ByKind = new IInboundScheme[]
    {
        new CustomScheme(), new StandardWebhooksScheme(), new GitHubScheme(), new StripeScheme(), new ShopifyScheme(),
        new SlackScheme(), new GitLabScheme(), new PagerDutyScheme(), new LinearScheme(), new JiraScheme(),
    }.ToDictionary(s => s.Kind);

    /// <summary>The scheme of <paramref name="kind"/>; an unknown kind verifies nothing (fails closed).</summary>
    public static IInboundScheme For(string? kind) => kind is not null && ByKind.TryGetValue(kind, out var scheme) ? scheme : RejectAll.Instance;

    public static InboundVerdict Verify(string? kind, InboundRequest request) => For(kind).Verify(request);

    private sealed class RejectAll : IInboundScheme
    {
        public static readonly RejectAll Instance = new();

        public string Kind => "unknown";

        public InboundVerdict Verify(InboundRequest request) => InboundVerdict.Rejected(RejectionReason.SignatureMismatch);
    }
}
