using Causeloop.Application.Abstractions;
using Causeloop.Application.Deliveries.Pipeline;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace Causeloop.Application;

/// <summary>The Application's services: the validators of the messages and the delivery pipeline's use cases.</summary>
public static class DependencyInjection
{
    /// <summary>
    /// Registers the validators and the delivery use cases. The mediator itself is registered by the host, where its
    /// source generator runs (<c>AddMediator</c>), and the ports by Infrastructure.
    /// </summary>
    public static IServiceCollection AddApplication(this IServiceCollection services)
    {
        services.AddValidatorsFromAssemblyContaining<ISystemMessage>(ServiceLifetime.Singleton);
        services.AddSingleton<WorkSignal>();
        services.AddSingleton<FanOutEvents>();
        services.AddSingleton<ClaimDueDeliveries>();
        services.AddSingleton<RecordAttempts>();
        services.AddSingleton<LeaseKeeper>();
        services.AddSingleton<AttemptRecorder>();
        services.AddSingleton<DeliveryPipeline>();
        return services;
    }
}
