namespace Causeloop.Api.Contracts;

/// <summary>
/// <c>POST /v1/webhooks/{id}/recover</c>: the window of event creation times (<c>until</c> open, now, when left out), the
/// event types to recover (every type when left out), and <c>dry_run</c> to preview without creating anything.
/// </summary>
public sealed record RecoverRequest(DateTime? Since = null, DateTime? Until = null, List<string>? EventTypes = null, bool? DryRun = null);
