using System.Reflection;
using Causeloop.Api.Controllers;
using Causeloop.Application.Abstractions;
using Causeloop.Application.Behaviors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Causeloop.Api.Tests.Platform;

public sealed class ArchitectureTests
{
    private static IEnumerable<Type> Messages() =>
        typeof(ISystemMessage).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(Mediator.IMessage).IsAssignableFrom(t));

    [Test]
    public void Every_message_declares_a_scope_or_that_it_is_a_system_message_never_both()
    {
        var messages = Messages().ToList();
        Assert.That(messages, Has.Count.GreaterThan(15));
        foreach (var message in messages)
        {
            var scoped = MessageScope.Of(message) is not null;
            var system = MessageScope.IsSystem(message);
            Assert.That(scoped ^ system, Is.True, $"{message.Name} must implement exactly one of IRequireScope and ISystemMessage");
        }
    }

    [Test]
    public void Read_messages_need_a_read_scope_and_commands_a_write_or_admin_scope()
    {
        foreach (var message in Messages().Where(m => MessageScope.Of(m) is not null))
        {
            var scope = MessageScope.Of(message)!;
            var isCommand = typeof(Mediator.IBaseCommand).IsAssignableFrom(message);
            // A query that shows a signing secret changes nothing, yet needs what rotating it needs.
            var revealsSecret = MessageScope.CapabilityOf(message) == Domain.Portal.PortalCapability.Secrets;
            Assert.That(scope.Level == Domain.Access.ScopeLevel.Read, Is.EqualTo(!isCommand && !revealsSecret), $"{message.Name} needs {scope.Value}");
        }
    }

    [Test]
    public void Messages_that_name_a_portal_capability_name_manage_or_secrets_and_need_more_than_reading()
    {
        var named = Messages().Where(m => MessageScope.CapabilityOf(m) is not null).ToList();
        Assert.That(named, Has.Count.GreaterThanOrEqualTo(6), "every portal action names its capability");
        foreach (var message in named)
        {
            Assert.That(MessageScope.CapabilityOf(message), Is.AnyOf(Domain.Portal.PortalCapability.Manage, Domain.Portal.PortalCapability.Secrets), message.Name);
            Assert.That(MessageScope.Of(message)?.Level, Is.Not.EqualTo(Domain.Access.ScopeLevel.Read).And.Not.Null, message.Name);
        }
    }

    [Test]
    public void Every_controller_requires_authentication_except_the_inbound_endpoint_and_the_portal_entry()
    {
        var controllers = typeof(WebhooksController).Assembly.GetTypes().Where(t => typeof(ControllerBase).IsAssignableFrom(t)).ToList();
        foreach (var controller in controllers)
        {
            var anonymous = controller.GetCustomAttribute<AllowAnonymousAttribute>() is not null;
            var authorized = controller.GetCustomAttribute<AuthorizeAttribute>() is not null;
            // The portal's entry serves the landing page and takes the link's one-time token (its own proof).
            Assert.That(anonymous ? controller == typeof(InboundController) || controller == typeof(Causeloop.Api.Portal.PortalController) : authorized, Is.True, controller.Name);
        }
    }
}
