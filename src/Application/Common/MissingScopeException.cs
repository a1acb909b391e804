using Causeloop.Domain.Access;

namespace Causeloop.Application.Common;

/// <summary>The caller's key lacks the scope the message needs (403).</summary>
public sealed class MissingScopeException(Scope needed) : Exception($"This API key lacks the scope '{needed.Value}'."), IRejection
{
    public Scope Needed { get; } = needed;
}
