namespace Causeloop.Domain.Webhooks;

/// <summary>
/// The rule for an outbound webhook's static headers (SPEC §17): at most <see cref="MaxCount"/> name → value pairs sent
/// on every attempt. A name must be an HTTP field name (RFC 9110 token) that Causeloop does not set itself (the body's
/// <c>content-*</c>, <c>user-agent</c>, <c>x-causeloop-*</c>, <c>webhook-*</c>, the trace context, <c>authorization</c>
/// when the webhook has <c>auth</c>), nor a hop-by-hop header, nor <c>host</c>. Names compare case-insensitively; a value
/// is printable ASCII. Values are shown only as <see cref="Mask"/>.
/// </summary>
public static class EndpointHeaders
{
    public const int MaxCount = 20;
    public const int MaxNameLength = 256;
    public const int MaxValueLength = 4096;

    /// <summary>What an answer shows instead of a header's value.</summary>
    public const string Mask = "***";

    /// <summary>The header <c>auth</c> sets; a static one is refused while the webhook has <c>auth</c>.</summary>
    public const string Authorization = "authorization";

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        // Set by Causeloop on every attempt (the body's content-* are refused by prefix).
        "user-agent", "traceparent", "tracestate", "baggage", "correlation-context", "request-id",
        // Hop-by-hop (RFC 9110 §7.6.1) and the connection's own.
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
        "transfer-encoding", "upgrade", "host", "expect",
    };

    private static readonly string[] ReservedPrefixes = ["x-causeloop-", "webhook-", "content-"];

    /// <summary>Null when the headers are acceptable (null: none), else the reason. <paramref name="withAuth"/>: the webhook has <c>auth</c>.</summary>
    public static string? Validate(IReadOnlyDictionary<string, string?>? headers, bool withAuth)
    {
        if (headers is null)
        {
            return null;
        }

        if (headers.Count > MaxCount)
        {
            return $"At most {MaxCount} headers.";
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            if (NameProblem(name, withAuth) is { } problem)
            {
                return problem;
            }

            if (!seen.Add(name))
            {
                return $"The header {name} is given twice (names are case-insensitive).";
            }

            if (ValueProblem(name, value) is { } valueProblem)
            {
                return valueProblem;
            }
        }

        return null;
    }

    /// <summary>Null when a static header of this name may be sent, else why not.</summary>
    public static string? NameProblem(string name, bool withAuth)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Length > MaxNameLength || !name.All(IsTokenChar))
        {
            return $"A header name must be 1 to {MaxNameLength} characters of an HTTP token (letters, digits and !#$%&'*+-.^_`|~).";
        }

        if (Reserved.Contains(name) || ReservedPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
        {
            return $"The header {name} cannot be set: Causeloop sets it, or it belongs to the connection (hop-by-hop, host).";
        }

        return withAuth && string.Equals(name, Authorization, StringComparison.OrdinalIgnoreCase)
            ? "The header authorization cannot be set while the webhook has auth, which sets it; remove one of them."
            : null;
    }

    private static string? ValueProblem(string name, string? value)
    {
        if (value is null || value.Length == 0 || value.Length > MaxValueLength)
        {
            return $"The value of {name} must be a string of 1 to {MaxValueLength} characters.";
        }

        // Printable ASCII, space and tab: no line break can smuggle another header in.
        return value.All(c => c is '\t' or (>= ' ' and <= '~')) ? null : $"The value of {name} must be printable ASCII (no line breaks or control characters).";
    }

    private static bool IsTokenChar(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
        or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
