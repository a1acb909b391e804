namespace Causeloop.Api.Hosting;

/// <summary><c>Causeloop:*</c> configuration (SPEC §9). Each has a default but the connection string and, outside Development, the secrets key.</summary>
public sealed class CauseloopOptions
{
    public const string Section = "Causeloop";

    /// <summary>Where Development keeps its generated secrets key; defaults to <c>~/.local/share/causeloop</c>, outside the build output.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>
    /// The public base URL used to build <c>inbound_url</c> and portal links; defaults to the request's own scheme and host.
    /// When it is https, the portal's cookie is always <c>Secure</c>.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    public ForwardedHeadersSection ForwardedHeaders { get; set; } = new();

    public SecretsOptions Secrets { get; set; } = new();

    public WebhooksOptions Webhooks { get; set; } = new();

    public InboundOptions Inbound { get; set; } = new();

    public MetricsOptions Metrics { get; set; } = new();

    public PortalOptions Portal { get; set; } = new();

    /// <summary>Settings that cannot work; the service refuses to start with them.</summary>
    public IEnumerable<string> Problems()
    {
        if (Inbound.MaxConcurrentBodyReads < 1 || Inbound.MaxConcurrentBodyReadsPerAddress < 1 || Inbound.BodyReadTimeout <= TimeSpan.Zero)
        {
            yield return "Causeloop:Inbound:MaxConcurrentBodyReads and MaxConcurrentBodyReadsPerAddress must be at least 1 and BodyReadTimeout positive";
        }

        if (Inbound.MinBodyDataRate < 0 || (Inbound.MinBodyDataRate > 0 && Inbound.MinBodyDataRateGracePeriod < TimeSpan.FromSeconds(1)))
        {
            yield return "Causeloop:Inbound:MinBodyDataRate must not be negative (0 leaves only BodyReadTimeout), and with a rate MinBodyDataRateGracePeriod must be at least 1 s (a body may lag its headers by a round trip)";
        }

        if (Inbound.EndpointCacheTtl < TimeSpan.Zero || Inbound.EndpointCacheTtl > TimeSpan.FromSeconds(1))
        {
            yield return "Causeloop:Inbound:EndpointCacheTtl must be between 0 and 1 s (a disabled connector must stop being accepted within 1 s)";
        }

        if (Inbound.TimestampTolerance <= TimeSpan.Zero)
        {
            yield return "Causeloop:Inbound:TimestampTolerance must be positive";
        }

        if (Portal.ManualChangeLimit < 1 || Portal.ManualChangeWindow <= TimeSpan.Zero)
        {
            yield return "Causeloop:Portal:ManualChangeLimit must be at least 1 and ManualChangeWindow positive";
        }

        if (Webhooks.SecretOverlap < TimeSpan.Zero)
        {
            yield return "Causeloop:Webhooks:SecretOverlap must not be negative";
        }

        if (Inbound.MaxBodyBytes < 1 || Inbound.RateLimitPerSecond < 1 || Inbound.RejectedPerAddressPerSecond < 1 || Inbound.RejectedPerSecond < 1)
        {
            yield return "Causeloop:Inbound:MaxBodyBytes, RateLimitPerSecond, RejectedPerAddressPerSecond and RejectedPerSecond must be at least 1";
        }
    }

    /// <summary>
    /// The reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed (the client's address
    /// and whether it used https). None by default: a request's own connection is the truth unless it comes from here.
    /// </summary>
    public sealed class ForwardedHeadersSection
    {
        /// <summary>Proxy addresses, e.g. <c>10.0.0.5</c>.</summary>
        public IList<string> KnownProxies { get; } = [];

        /// <summary>Proxy networks in CIDR notation, e.g. <c>10.0.0.0/8</c>.</summary>
        public IList<string> KnownNetworks { get; } = [];
    }

    public sealed class PortalOptions
    {
        /// <summary>The CSP <c>frame-ancestors</c> of portal pages: where they may be embedded (default nowhere).</summary>
        public string FrameAncestors { get; set; } = "'none'";

        /// <summary>How many times a portal session may enable or disable one webhook within <see cref="ManualChangeWindow"/> (each change emits an operational event).</summary>
        public int ManualChangeLimit { get; set; } = Domain.Portal.ManualChangeLimit.Default.Limit;

        public TimeSpan ManualChangeWindow { get; set; } = Domain.Portal.ManualChangeLimit.Default.Window;
    }

    public sealed class MetricsOptions
    {
        /// <summary>Whether <c>/metrics</c> answers (Prometheus format). OTLP export is configured by <c>OTEL_*</c> alone.</summary>
        public bool Enabled { get; set; } = true;
    }

    public sealed class SecretsOptions
    {
        /// <summary>Base64 of 32 bytes: the AES-256-GCM key that encrypts signing secrets at rest.</summary>
        public string? Key { get; set; }
    }

    public sealed class WebhooksOptions
    {
        public TimeSpan SecretOverlap { get; set; } = TimeSpan.FromHours(24);
    }

    public sealed class InboundOptions
    {
        public long MaxBodyBytes { get; set; } = 1024 * 1024;

        /// <summary>Verified requests per second per connector (429 above). Rejected requests never count here.</summary>
        public int RateLimitPerSecond { get; set; } = 1000;

        /// <summary>
        /// Rejected requests per second from one source, an IPv4 address or an IPv6 /64 (429 above; a request to a
        /// connector id this instance has not seen live counts before its look-up).
        /// </summary>
        public int RejectedPerAddressPerSecond { get; set; } = 1000;

        /// <summary>Rejected requests per second from all addresses together (429 above).</summary>
        public int RejectedPerSecond { get; set; } = 5000;

        /// <summary>
        /// Inbound bodies being received at once, before any is verified; past it a request is answered 503 at once
        /// (Retry-After: 1), so slow or idle connections cannot tie up the service's memory.
        /// </summary>
        public int MaxConcurrentBodyReads { get; set; } = 1024;

        /// <summary>
        /// Inbound bodies being received at once from one source, an IPv4 address or an IPv6 /64; past it that source
        /// is answered 503 at once (Retry-After: 1), so one source cannot take every slot from the others.
        /// </summary>
        public int MaxConcurrentBodyReadsPerAddress { get; set; } = 64;

        /// <summary>The whole inbound body must arrive within this (408 otherwise), however slowly it trickles.</summary>
        public TimeSpan BodyReadTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>
        /// After <see cref="MinBodyDataRateGracePeriod"/>, an inbound body must keep arriving at this many bytes per second
        /// or faster (408 otherwise), so a trickle cannot hold a body-read slot for the whole <see cref="BodyReadTimeout"/>.
        /// 0 leaves only the timeout.
        /// </summary>
        public int MinBodyDataRate { get; set; } = 4096;

        /// <summary>How long an inbound body may take before <see cref="MinBodyDataRate"/> applies (a small body may take all of it).</summary>
        public TimeSpan MinBodyDataRateGracePeriod { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>
        /// How far a provider's signed timestamp may be from now, either way, before the request is refused as stale
        /// (Stripe, Slack, Standard Webhooks, signed GitLab; Linear keeps its own 60 s).
        /// </summary>
        public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromSeconds(300);

        /// <summary>How long a connector's verification material is reused (at most 1 s): a change made on another instance is seen within it.</summary>
        public TimeSpan EndpointCacheTtl { get; set; } = TimeSpan.FromSeconds(1);
    }
}
