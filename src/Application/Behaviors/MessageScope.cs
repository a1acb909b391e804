using System.Reflection;
using Causeloop.Application.Abstractions;
using Causeloop.Domain.Access;

namespace Causeloop.Application.Behaviors;

/// <summary>The scope a message type declares (read once per type), or null for a system message.</summary>
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

    public static bool IsSystem(Type messageType) => typeof(ISystemMessage).IsAssignableFrom(messageType);
}
