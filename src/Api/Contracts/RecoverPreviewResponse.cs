using Causeloop.Application.Deliveries.Recover;

namespace Causeloop.Api.Contracts;

/// <summary>A recover's dry run: how many fresh deliveries a real run would create, and the first 100 of their events, oldest first.</summary>
public sealed record RecoverPreviewResponse(int Count, IReadOnlyList<RecoverableEvent> Sample);
