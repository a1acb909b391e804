using System.Reflection;
using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;

namespace Causeloop.Application.Behaviors;

/// <summary>The scope (and portal capability) a message type declares, read once per type; null scope for a system message.</summary>
public static class MessageScope
{
    public static Scope? Of(Type messageType)
    {
        ArgumentNullException.ThrowIfNull(messageType);
        if (!typeof(IRequireScope).IsAssignableFrom(messageType))
        {
            return null;
        }

        var property = messageType.GetProperty(nameof(IRequireScope.RequiredScope), BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{messageType.Name} declares no RequiredScope.");
        return (Scope)property.GetValue(null)!;
    }

    /// <summary>The portal capability a message type names (<see cref="IRequirePortalCapability"/>), or null.</summary>
    public static string? CapabilityOf(Type messageType)
    {
        ArgumentNullException.ThrowIfNull(messageType);
        if (!typeof(IRequirePortalCapability).IsAssignableFrom(messageType))
        {
            return null;
        }

        var property = messageType.GetProperty(nameof(IRequirePortalCapability.RequiredCapability), BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{messageType.Name} declares no RequiredCapability.");
        return (string)property.GetValue(null)!;
    }

    public static bool IsSystem(Type messageType) => typeof(ISystemMessage).IsAssignableFrom(messageType);
}
