using Causeloop.Domain.Deliveries;

namespace Causeloop.Api.Pages.Portal;

/// <summary>
/// How the portal's pages show a delivery's status and an attempt's answer. Which statuses exist and which answers count
/// as delivered are the domain's (<see cref="DeliveryStatus"/>, <see cref="AttemptResult.IsSuccessStatus"/>); this only
/// chooses the style each one gets, so no page re-decides them.
/// </summary>
public static class StatusView
{
    /// <summary>The style of good news (delivered).</summary>
    public const string Ok = "ok";

    /// <summary>The style of something the customer should look at (an attempt failed, a delivery died).</summary>
    public const string Bad = "bad";

    /// <summary>The style of a status that is neither (waiting, under way, cancelled): none, the attribute is left out.</summary>
    public const string? Neutral = null;

    /// <summary>The statuses a delivery list can be filtered by: every status there is.</summary>
    public static IReadOnlyList<string> Filter => DeliveryStatus.All;

    /// <summary>The style of a delivery's status.</summary>
    public static string? StyleOf(string status) => status switch
    {
        DeliveryStatus.Succeeded => Ok,
        DeliveryStatus.Failed or DeliveryStatus.Dead => Bad,
        _ => Neutral,
    };

    /// <summary>The style of an attempt's answer: a status code that delivered, or anything else (another code, an error).</summary>
    public static string StyleOfAnswer(int? statusCode) => AttemptResult.IsSuccessStatus(statusCode) ? Ok : Bad;

    /// <summary>
    /// Whether the page shows the delivery's next attempt: it is unfinished and not under way, so it waits for one
    /// (an in-flight delivery's attempt is happening now; a final one has none).
    /// </summary>
    public static bool ShowsNextAttempt(string status) => DeliveryStatus.Unfinished.Contains(status) && status != DeliveryStatus.InFlight;
}
