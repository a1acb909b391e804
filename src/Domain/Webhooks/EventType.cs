namespace Causeloop.Domain.Webhooks;

/// <summary>An entry of the event-type catalog (SPEC §7).</summary>
public sealed record EventType(string Name, string Description)
{
    public const string Wildcard = "*";

    public static readonly EventType SyncCompleted = new("sync.completed", "A sync of a connected source system finished.");
    public static readonly EventType IssueIngested = new("issue.ingested", "An inbound event from a connector was verified and stored.");
    public static readonly EventType PatternDetected = new("pattern.detected", "Causeloop detected a recurring pattern across issues.");
    public static readonly EventType WebhookTest = new("webhook.test", "A test event sent on request to a single webhook.");

    public static IReadOnlyList<EventType> Catalog { get; } = [SyncCompleted, IssueIngested, PatternDetected, WebhookTest];

    public static bool IsKnown(string? name) => Catalog.Any(t => t.Name == name);
}
