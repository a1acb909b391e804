using Causeloop.Domain.Access;

namespace Causeloop.Application.Abstractions;

/// <summary>A message sent on behalf of an API key; the scope it needs is checked before its handler runs.</summary>
public interface IRequireScope
{
    static abstract Scope RequiredScope { get; }
}
