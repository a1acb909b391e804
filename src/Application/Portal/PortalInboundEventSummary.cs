using System.Text;

namespace Causeloop.Application.Portal;

/// <summary>
/// An ingested event as the portal's connectors page lists it: what identifies it, its size and the first
/// <see cref="ExcerptBytes"/> bytes of the body as received — never the whole body.
/// </summary>
public sealed record PortalInboundEventSummary(
    Guid Id, DateTime ReceivedAt, string? EventId, string? SourceEventType, string? ContentType, int SizeBytes, string Excerpt)
{
    /// <summary>How much of each body the page reads and shows.</summary>
    public const int ExcerptBytes = 200;

    private static readonly UTF8Encoding Lenient = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>The body's first bytes as text; a character cut at the end is dropped, other invalid bytes show as U+FFFD.</summary>
    public static string ExcerptOf(byte[] head, int sizeBytes)
    {
        ArgumentNullException.ThrowIfNull(head);
        var text = Lenient.GetString(head);
        return sizeBytes > head.Length ? text.TrimEnd('\uFFFD') + "…" : text;
    }
}
