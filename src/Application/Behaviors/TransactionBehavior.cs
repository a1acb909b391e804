using Causeloop.Application.Abstractions;
using Mediator;

namespace Causeloop.Application.Behaviors;

/// <summary>
/// Runs each command in one database transaction: committed when the handler returns, rolled back when it throws.
/// Commands that commit through the group-commit writer (<see cref="ICommitsItself"/>) get none.
/// </summary>
public sealed class TransactionBehavior<TMessage, TResponse>(IUnitOfWork unitOfWork) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (message is not IBaseCommand or ICommitsItself)
        {
            return await next(message, cancellationToken);
        }

        await unitOfWork.BeginAsync(cancellationToken);
        try
        {
            var response = await next(message, cancellationToken);
            await unitOfWork.CommitAsync(cancellationToken);
            return response;
        }
        catch
        {
            await unitOfWork.RollbackAsync(CancellationToken.None);
            throw;
        }
    }
}
